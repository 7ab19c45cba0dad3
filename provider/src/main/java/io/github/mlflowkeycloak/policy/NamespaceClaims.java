package io.github.mlflowkeycloak.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.keycloak.authorization.model.Policy;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.authorization.policy.provider.PolicyProvider;
import org.keycloak.authorization.store.PolicyStore;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Whether a new MLflow name (a create, a rename) lies in a namespace that is not the caller's,
 * under any namespace policy of the resource server. Whoever creates an object owns it, and the
 * namespace's user or members would then use it: bob creating {@code users/alice/project} before
 * alice does would read every run she logs there.
 */
public final class NamespaceClaims {

    /** The policy types that give namespaces. */
    public static final List<String> NAMESPACE_TYPES = List.of(UserNamespacePolicyProviderFactory.ID,
            GroupNamespacePolicyProviderFactory.ID, NamespacePolicyProviderFactory.ID);

    private NamespaceClaims() {
    }

    public static boolean isAnothers(KeycloakSession session, PolicyStore policies, ResourceServer resourceServer, UserModel user,
            String mlflowName) {
        RealmModel realm = session.getContext().getRealm();
        // Several policies may ask after the same group: asked of Keycloak once.
        Map<String, Boolean> groups = new HashMap<>();
        Predicate<String> isTopLevelGroup = name -> groups.computeIfAbsent(name,
                group -> session.groups().getGroupByName(realm, null, group) != null);
        for (String type : NAMESPACE_TYPES) {
            MlflowPolicyProviderFactory factory = (MlflowPolicyProviderFactory)
                    session.getKeycloakSessionFactory().getProviderFactory(PolicyProvider.class, type);
            for (Policy policy : policies.findByType(resourceServer, type)) {
                Namespaces namespaces = factory.namespaces(policy);
                if (namespaces.isAnothers(mlflowName, user, isTopLevelGroup)) {
                    return true;
                }
            }
        }
        return false;
    }
}
