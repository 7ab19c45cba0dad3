package io.github.mlflowkeycloak.policy;

import com.google.auto.service.AutoService;
import org.keycloak.authorization.policy.provider.PolicyProvider;
import org.keycloak.authorization.policy.provider.PolicyProviderFactory;

/** Policy type {@value #ID}: grants the owner of the experiment or registered model, that is its creator. */
@AutoService(PolicyProviderFactory.class)
public final class OwnerPolicyProviderFactory extends MlflowPolicyProviderFactory {

    public static final String ID = "mlflow-owner";

    private static final PolicyProvider PROVIDER = new OwnerPolicyProvider();

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
}
