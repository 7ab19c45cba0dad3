package io.github.mlflowkeycloak.policy;

import java.util.List;

import com.google.auto.service.AutoService;
import org.keycloak.authorization.model.Policy;
import org.keycloak.Config;
import org.keycloak.authorization.policy.provider.PolicyProvider;
import org.keycloak.authorization.policy.provider.PolicyProviderFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Policy type {@value #ID}: grants each user the experiments and registered models named
 * {@code <prefix><username>/…}. The prefix is one server-wide option
 * ({@code --spi-policy--mlflow-user-namespace--prefix}, default {@code users/}), not a setting of
 * each policy: the admin console draws no form for one.
 */
@AutoService(PolicyProviderFactory.class)
public final class UserNamespacePolicyProviderFactory extends MlflowPolicyProviderFactory {

    public static final String ID = "mlflow-user-namespace";
    static final String PREFIX = "prefix";

    private Namespaces namespaces = new Namespaces(Namespaces.DEFAULT.userPrefix(), false);
    private final PolicyProvider provider = new NamespacePolicyProvider(this::namespaces);

    @Override
    public void init(Config.Scope config) {
        namespaces = new Namespaces(Namespaces.checkedPrefix(config.get(PREFIX, Namespaces.DEFAULT.userPrefix())), false);
    }

    @Override
    Namespaces namespaces(Policy policy) {
        return namespaces;
    }

    /** The prefix of personal namespaces, for the type that gives both kinds. */
    String prefix() {
        return namespaces.userPrefix();
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create().property().name(PREFIX).type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(Namespaces.DEFAULT.userPrefix())
                .helpText("Names under <prefix><username>/ belong to that user; empty or ending in '/'.").add().build();
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getName() {
        return "MLflow user namespace";
    }

    @Override
    public String getDescription() {
        return "Grants the experiments and models named users/<username>/… to that user.";
    }

    @Override
    protected PolicyProvider provider() {
        return provider;
    }
}
