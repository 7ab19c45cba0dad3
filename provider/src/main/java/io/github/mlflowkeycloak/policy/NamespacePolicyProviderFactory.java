package io.github.mlflowkeycloak.policy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.google.auto.service.AutoService;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.model.Policy;
import org.keycloak.authorization.policy.provider.PolicyProvider;
import org.keycloak.authorization.policy.provider.PolicyProviderFactory;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.representations.idm.authorization.PolicyRepresentation;

/**
 * Policy type {@value #ID}: personal and group namespaces together, as the two types
 * {@link UserNamespacePolicyProviderFactory} and {@link GroupNamespacePolicyProviderFactory} give
 * them. Policies stored before those types existed may carry their own {@code userPrefix} and
 * {@code groups} in their configuration (realm imports, the admin REST API of earlier releases):
 * they are read and kept, through console saves and exports alike, but no longer set.
 */
@AutoService(PolicyProviderFactory.class)
public final class NamespacePolicyProviderFactory extends MlflowPolicyProviderFactory {

    public static final String ID = "mlflow-namespace";

    /** Parsed configurations, by content: parsed once, and never stale on another node. */
    private final Map<Map<String, String>, Namespaces> parsed = new ConcurrentHashMap<>();
    private final PolicyProvider provider = new NamespacePolicyProvider(this::namespaces);
    private Namespaces defaults = Namespaces.DEFAULT;

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        UserNamespacePolicyProviderFactory users = (UserNamespacePolicyProviderFactory)
                factory.getProviderFactory(PolicyProvider.class, UserNamespacePolicyProviderFactory.ID);
        defaults = new Namespaces(users.prefix(), true);
    }

    @Override
    Namespaces namespaces(Policy policy) {
        Map<String, String> config = policy.getConfig();
        if (config.isEmpty()) {
            return defaults;
        }
        Namespaces namespaces = parsed.get(config);
        if (namespaces == null) {
            namespaces = Namespaces.parse(config, defaults);
            if (parsed.size() < 1000) {
                parsed.put(Map.copyOf(config), namespaces);
            }
        }
        return namespaces;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getName() {
        return "MLflow namespace";
    }

    @Override
    public String getDescription() {
        return "Grants the experiments and models named users/<username>/… to that user, and <group>/… to the group's members.";
    }

    @Override
    protected PolicyProvider provider() {
        return provider;
    }

    @Override
    public void onImport(Policy policy, PolicyRepresentation representation, AuthorizationProvider authorization) {
        policy.setConfig(Namespaces.storedConfig(representation.getConfig()));
    }

    @Override
    public void onExport(Policy policy, PolicyRepresentation representation, AuthorizationProvider authorization) {
        representation.setConfig(Namespaces.storedConfig(policy.getConfig()));
    }
}
