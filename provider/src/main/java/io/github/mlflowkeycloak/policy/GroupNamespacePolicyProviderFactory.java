package io.github.mlflowkeycloak.policy;

import com.google.auto.service.AutoService;
import org.keycloak.authorization.policy.provider.PolicyProvider;
import org.keycloak.authorization.policy.provider.PolicyProviderFactory;

/**
 * Policy type {@value #ID}: grants the members of each group the experiments and registered
 * models named {@code <group path>/…} ({@code team-a/…}, {@code org/team-a/…}).
 */
@AutoService(PolicyProviderFactory.class)
public final class GroupNamespacePolicyProviderFactory extends MlflowPolicyProviderFactory {

    public static final String ID = "mlflow-group-namespace";

    private static final Namespaces GROUPS_ONLY = new Namespaces("", true);
    private static final PolicyProvider PROVIDER = new NamespacePolicyProvider(policy -> GROUPS_ONLY);

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getName() {
        return "MLflow group namespace";
    }

    @Override
    public String getDescription() {
        return "Grants the experiments and models named <group>/… to the group's members.";
    }

    @Override
    protected PolicyProvider provider() {
        return PROVIDER;
    }
}
