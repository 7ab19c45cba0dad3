package io.github.mlflowkeycloak.policy;

import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.permission.ResourcePermission;
import org.keycloak.authorization.policy.evaluation.Evaluation;
import org.keycloak.authorization.policy.provider.PolicyProvider;

/**
 * Grants the owner of the resource being decided. A resource the resource server owns (a kind's
 * type resource) has no owner in this sense: its permissions hold for every object of the kind,
 * and the resource server's own service account is not to be granted them all by ownership.
 */
final class OwnerPolicyProvider implements PolicyProvider {

    @Override
    public void evaluate(Evaluation evaluation) {
        ResourcePermission permission = evaluation.getPermission();
        Resource resource = permission.getResource();
        if (resource != null && !resource.getOwner().equals(permission.getResourceServer().getClientId())
                && resource.getOwner().equals(evaluation.getContext().getIdentity().getId())) {
            evaluation.grant();
        }
    }

    @Override
    public void close() {
    }
}
