package io.github.mlflowkeycloak.policy;

import java.util.List;

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

    private static final List<String> TYPES = List.of(UserNamespacePolicyProviderFactory.ID, GroupNamespacePolicyProviderFactory.ID,
            NamespacePolicyProviderFactory.ID);

    private NamespaceClaims() {
    }

    public static boolean isAnothers(KeycloakSession session, PolicyStore policies, ResourceServer resourceServer, UserModel user,
            String mlflowName) {
        RealmModel realm = session.getContext().getRealm();
        for (String type : TYPES) {
            MlflowPolicyProviderFactory factory = (MlflowPolicyProviderFactory)
                    session.getKeycloakSessionFactory().getProviderFactory(PolicyProvider.class, type);
            for (Policy policy : policies.findByType(resourceServer, type)) {
                Namespaces namespaces = factory.namespaces(policy);
                if (namespaces.isAnothers(mlflowName, user, name -> session.groups().getGroupByName(realm, null, name) != null)) {
                    return true;
                }
            }
        }
        return false;
    }
}
