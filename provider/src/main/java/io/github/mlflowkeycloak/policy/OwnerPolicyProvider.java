package io.github.mlflowkeycloak.policy;

import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.policy.evaluation.Evaluation;
import org.keycloak.authorization.policy.provider.PolicyProvider;

/** Grants the owner of the resource being decided; on a kind's type resource (owned by the resource server) no one. */
final class OwnerPolicyProvider implements PolicyProvider {

    @Override
    public void evaluate(Evaluation evaluation) {
        Resource resource = evaluation.getPermission().getResource();
        if (resource != null && resource.getOwner().equals(evaluation.getContext().getIdentity().getId())) {
            evaluation.grant();
        }
    }

    @Override
    public void close() {
    }
}
