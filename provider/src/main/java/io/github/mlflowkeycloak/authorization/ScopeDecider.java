package io.github.mlflowkeycloak.authorization;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.github.mlflowkeycloak.identity.Caller;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.Scope;
import org.jboss.logging.Logger;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.common.DefaultEvaluationContext;
import org.keycloak.authorization.common.KeycloakIdentity;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.authorization.permission.ResourcePermission;
import org.keycloak.authorization.store.StoreFactory;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.authorization.AuthorizationRequest;
import org.keycloak.representations.idm.authorization.Permission;

/**
 * Decides whether a caller holds a scope on a kind of MLflow object, by evaluating the
 * permissions of the kind's type resource with Keycloak Authorization Services in-process:
 * no token endpoint round trip, and every lookup goes through Keycloak's authorization cache.
 */
public final class ScopeDecider {

    private static final Logger LOG = Logger.getLogger(ScopeDecider.class);

    private final String resourceServerClientId;

    public ScopeDecider(String resourceServerClientId) {
        this.resourceServerClientId = resourceServerClientId;
    }

    /** The evaluation-context attribute that carries MLflow's workspace, for policies to use. */
    public static final String WORKSPACE_ATTRIBUTE = "mlflow.workspace";

    /**
     * @param workspace the MLflow workspace the request names, or null
     * @return whether the scope is granted; false also when the realm lacks the resource
     *         server, the kind's resource or the scope (fail closed, with a warning)
     */
    public boolean isGranted(KeycloakSession session, Caller caller, ResourceKind kind, Scope scope, String workspace) {
        RealmModel realm = session.getContext().getRealm();
        ClientModel client = realm.getClientByClientId(resourceServerClientId);
        if (client == null) {
            LOG.warnf("realm %s has no client %s: every scoped MLflow request is denied",
                    realm.getName(), resourceServerClientId);
            return false;
        }
        AuthorizationProvider authorization = session.getProvider(AuthorizationProvider.class);
        StoreFactory stores = authorization.getStoreFactory();
        ResourceServer resourceServer = stores.getResourceServerStore().findByClient(client);
        if (resourceServer == null) {
            LOG.warnf("client %s of realm %s has authorization services disabled: every scoped MLflow request is denied",
                    resourceServerClientId, realm.getName());
            return false;
        }
        Resource resource = stores.getResourceStore().findByName(resourceServer, kind.resourceName());
        org.keycloak.authorization.model.Scope requested =
                stores.getScopeStore().findByName(resourceServer, scope.scopeName());
        if (resource == null || requested == null) {
            LOG.warnf("resource server %s of realm %s lacks resource %s or scope %s: denied",
                    resourceServerClientId, realm.getName(), kind.resourceName(), scope.scopeName());
            return false;
        }
        KeycloakIdentity identity = new KeycloakIdentity(caller.token(), session, realm);
        ResourcePermission permission = new ResourcePermission(resource, List.of(requested), resourceServer);
        Collection<Permission> granted = authorization.evaluators()
                .from(List.of(permission), resourceServer, new DefaultEvaluationContext(identity,
                        workspace == null ? Map.of() : Map.of(WORKSPACE_ATTRIBUTE, List.of(workspace)), session))
                .evaluate(resourceServer, new AuthorizationRequest());
        for (Permission grant : granted) {
            if (grant.getScopes() != null && grant.getScopes().contains(scope.scopeName())) {
                return true;
            }
        }
        return false;
    }
}
