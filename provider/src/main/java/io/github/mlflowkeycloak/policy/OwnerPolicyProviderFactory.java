package io.github.mlflowkeycloak.policy;

import com.google.auto.service.AutoService;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.model.Policy;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.policy.evaluation.Evaluation;
import org.keycloak.authorization.policy.provider.PolicyProvider;
import org.keycloak.authorization.policy.provider.PolicyProviderFactory;

/**
 * Policy type {@value #ID}: grants the owner of the resource being decided, that is the creator
 * of the experiment or registered model. Nothing to configure, so the admin console's generic
 * form saves it as it is. On a kind's type resource (owned by the resource server) it grants no one.
 */
@AutoService(PolicyProviderFactory.class)
public final class OwnerPolicyProviderFactory extends MlflowPolicyProviderFactory<OwnerPolicyRepresentation> {

    public static final String ID = "mlflow-owner";

    private static final PolicyProvider PROVIDER = new PolicyProvider() {
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
    };

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getName() {
        return "MLflow owner";
    }

    @Override
    public String getDescription() {
        return "Grants the owner of the experiment or registered model: its creator.";
    }

    @Override
    protected PolicyProvider provider() {
        return PROVIDER;
    }

    @Override
    public OwnerPolicyRepresentation toRepresentation(Policy policy, AuthorizationProvider authorization) {
        return new OwnerPolicyRepresentation();
    }

    @Override
    public Class<OwnerPolicyRepresentation> getRepresentationType() {
        return OwnerPolicyRepresentation.class;
    }
}
