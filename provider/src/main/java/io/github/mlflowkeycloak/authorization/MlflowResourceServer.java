package io.github.mlflowkeycloak.authorization;

import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** The resource server of the realm's MLflow client, whose resources and permissions decide. */
public final class MlflowResourceServer {

    private static final Logger LOG = Logger.getLogger(MlflowResourceServer.class);

    private MlflowResourceServer() {
    }

    /** @return the resource server; empty (with a warning: everything is denied) when the realm lacks it */
    public static Optional<ResourceServer> of(KeycloakSession session, String clientId) {
        RealmModel realm = session.getContext().getRealm();
        ClientModel client = realm.getClientByClientId(clientId);
        if (client == null) {
            LOG.warnf("realm %s has no client %s: every scoped MLflow request is denied", realm.getName(), clientId);
            return Optional.empty();
        }
        ResourceServer resourceServer = session.getProvider(AuthorizationProvider.class).getStoreFactory()
                .getResourceServerStore().findByClient(client);
        if (resourceServer == null) {
            LOG.warnf("client %s of realm %s has authorization services disabled: every scoped MLflow request is denied",
                    clientId, realm.getName());
        }
        return Optional.ofNullable(resourceServer);
    }
}
