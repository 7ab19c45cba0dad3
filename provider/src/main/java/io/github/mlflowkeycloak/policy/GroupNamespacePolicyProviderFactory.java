package io.github.mlflowkeycloak.policy;

import com.google.auto.service.AutoService;
import org.keycloak.authorization.model.Policy;
import org.keycloak.authorization.policy.provider.PolicyProvider;
import org.keycloak.authorization.policy.provider.PolicyProviderFactory;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Policy type {@value #ID}: grants the members of each group the experiments and registered
 * models named {@code <group path>/…} ({@code team-a/…}, {@code org/team-a/…}).
 */
@AutoService(PolicyProviderFactory.class)
public final class GroupNamespacePolicyProviderFactory extends MlflowPolicyProviderFactory {

    public static final String ID = "mlflow-group-namespace";

    private Namespaces groupsOnly = new Namespaces("", true, Namespaces.DEFAULT.userPrefix());
    private final PolicyProvider provider = new NamespacePolicyProvider(this::namespaces);

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        UserNamespacePolicyProviderFactory users = (UserNamespacePolicyProviderFactory)
                factory.getProviderFactory(PolicyProvider.class, UserNamespacePolicyProviderFactory.ID);
        groupsOnly = new Namespaces("", true, users.prefix());
    }

    @Override
    Namespaces namespaces(Policy policy) {
        return groupsOnly;
    }

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
        return provider;
    }
}
