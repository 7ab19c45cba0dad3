package io.github.mlflowkeycloak.policy;

import java.util.List;
import java.util.function.Function;

import io.github.mlflowkeycloak.authorization.InstanceResources;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.model.Policy;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.policy.evaluation.Evaluation;
import org.keycloak.authorization.policy.provider.PolicyProvider;
import org.keycloak.models.UserModel;

/** Grants a user the experiments and registered models whose MLflow name sits in one of their {@link Namespaces}. */
final class NamespacePolicyProvider implements PolicyProvider {

    private final Function<Policy, Namespaces> namespaces;

    /** @param namespaces the namespaces a policy of the type gives */
    NamespacePolicyProvider(Function<Policy, Namespaces> namespaces) {
        this.namespaces = namespaces;
    }

    @Override
    public void evaluate(Evaluation evaluation) {
        Resource resource = evaluation.getPermission().getResource();
        List<String> names = resource == null ? null : resource.getAttributes().get(InstanceResources.MLFLOW_NAME_ATTRIBUTE);
        if (names == null || names.isEmpty()) {
            return;
        }
        AuthorizationProvider authorization = evaluation.getAuthorizationProvider();
        UserModel user = authorization.getKeycloakSession().users()
                .getUserById(authorization.getRealm(), evaluation.getContext().getIdentity().getId());
        if (user != null && namespaces.apply(evaluation.getPolicy()).contains(names.get(0), user)) {
            evaluation.grant();
        }
    }

    @Override
    public void close() {
    }
}
