package io.github.mlflowkeycloak.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.google.auto.service.AutoService;
import io.github.mlflowkeycloak.authorization.InstanceResources;
import jakarta.ws.rs.core.Response;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.model.Policy;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.policy.evaluation.Evaluation;
import org.keycloak.authorization.policy.provider.PolicyProvider;
import org.keycloak.authorization.policy.provider.PolicyProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.representations.idm.authorization.PolicyRepresentation;
import org.keycloak.services.ErrorResponseException;

/**
 * Policy type {@value #ID}: grants a user the experiments and registered models whose MLflow
 * name sits in one of their namespaces ({@link Namespaces}: by default {@code users/<username>/…}
 * and {@code <group>/…}). Configured through realm import or the admin REST API
 * ({@code userPrefix}, {@code groups}); the admin console, which draws no form for it, saves it
 * without touching them.
 */
@AutoService(PolicyProviderFactory.class)
public final class NamespacePolicyProviderFactory extends MlflowPolicyProviderFactory<NamespacePolicyRepresentation> {

    public static final String ID = "mlflow-namespace";

    /** Parsed configurations, by content: parsed once, and never stale on another node. */
    private final Map<Map<String, String>, Namespaces> parsed = new ConcurrentHashMap<>();

    private final PolicyProvider provider = new PolicyProvider() {
        @Override
        public void evaluate(Evaluation evaluation) {
            Resource resource = evaluation.getPermission().getResource();
            List<String> names = resource == null ? null : resource.getAttributes().get(InstanceResources.MLFLOW_NAME_ATTRIBUTE);
            if (names == null || names.isEmpty()) {
                return;
            }
            AuthorizationProvider authorization = evaluation.getAuthorizationProvider();
            KeycloakSession session = authorization.getKeycloakSession();
            UserModel user = session.users().getUserById(authorization.getRealm(), evaluation.getContext().getIdentity().getId());
            if (user != null && namespaces(evaluation.getPolicy()).contains(names.get(0), user)) {
                evaluation.grant();
            }
        }

        @Override
        public void close() {
        }
    };

    private Namespaces namespaces(Policy policy) {
        Map<String, String> config = policy.getConfig();
        Namespaces namespaces = parsed.get(config);
        if (namespaces == null) {
            namespaces = Namespaces.parse(config);
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
    public NamespacePolicyRepresentation toRepresentation(Policy policy, AuthorizationProvider authorization) {
        Namespaces namespaces = namespaces(policy);
        NamespacePolicyRepresentation representation = new NamespacePolicyRepresentation();
        representation.setUserPrefix(namespaces.userPrefix());
        representation.setGroups(namespaces.groups());
        return representation;
    }

    @Override
    public Class<NamespacePolicyRepresentation> getRepresentationType() {
        return NamespacePolicyRepresentation.class;
    }

    @Override
    public void onCreate(Policy policy, NamespacePolicyRepresentation representation, AuthorizationProvider authorization) {
        update(policy, representation.getUserPrefix(), representation.getGroups());
    }

    @Override
    public void onUpdate(Policy policy, NamespacePolicyRepresentation representation, AuthorizationProvider authorization) {
        update(policy, representation.getUserPrefix(), representation.getGroups());
    }

    @Override
    public void onImport(Policy policy, PolicyRepresentation representation, AuthorizationProvider authorization) {
        Map<String, String> config = representation.getConfig();
        String groups = config == null ? null : config.get(Namespaces.GROUPS);
        update(policy, config == null ? null : config.get(Namespaces.USER_PREFIX), groups == null ? null : Boolean.valueOf(groups));
    }

    @Override
    public void onExport(Policy policy, PolicyRepresentation representation, AuthorizationProvider authorization) {
        Namespaces namespaces = namespaces(policy);
        Map<String, String> config = new HashMap<>();
        config.put(Namespaces.USER_PREFIX, namespaces.userPrefix());
        config.put(Namespaces.GROUPS, Boolean.toString(namespaces.groups()));
        representation.setConfig(config);
    }

    /** Only what the representation gives changes; a save from the admin console gives neither. */
    private static void update(Policy policy, String userPrefix, Boolean groups) {
        Map<String, String> config = new HashMap<>(policy.getConfig());
        if (userPrefix != null) {
            if (!userPrefix.isEmpty() && !userPrefix.endsWith("/")) {
                throw new ErrorResponseException("invalid_policy", "userPrefix must be empty or end with '/'", Response.Status.BAD_REQUEST);
            }
            config.put(Namespaces.USER_PREFIX, userPrefix);
        }
        if (groups != null) {
            config.put(Namespaces.GROUPS, groups.toString());
        }
        policy.setConfig(config);
    }
}
