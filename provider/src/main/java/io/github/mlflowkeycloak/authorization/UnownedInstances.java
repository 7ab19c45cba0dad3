package io.github.mlflowkeycloak.authorization;

import org.jboss.logging.Logger;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * At start, in every realm with the MLflow resource server: the instances no one owns lose the
 * type of their kind, which earlier releases gave them ({@link InstanceResources#untypeUnowned}),
 * so that a grant on one of them no longer holds for every object of the kind. Each is logged.
 */
public final class UnownedInstances {

    private static final Logger LOG = Logger.getLogger(UnownedInstances.class);

    private UnownedInstances() {
    }

    /** @param clientId the MLflow resource server's client */
    public static void untypeInEveryRealm(KeycloakSessionFactory factory, String clientId) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> session.realms().getRealmsStream().forEach(realm -> {
                ClientModel client = realm.getClientByClientId(clientId);
                if (client == null) {
                    return;
                }
                session.getContext().setRealm(realm);
                AuthorizationProvider authorization = session.getProvider(AuthorizationProvider.class);
                ResourceServer resourceServer = authorization.getStoreFactory().getResourceServerStore().findByClient(client);
                if (resourceServer == null) {
                    return;
                }
                for (Resource changed : InstanceResources.untypeUnowned(authorization.getStoreFactory().getResourceStore(), resourceServer)) {
                    LOG.warnf("realm %s: resource '%s' is owned by no one and no longer has the type of its kind;"
                            + " until now, what it granted held for every object of the kind", realm.getName(), changed.getName());
                }
            }));
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not check the MLflow resources that no one owns for a type: grants on them may hold for"
                    + " every object of their kind until the next start");
        }
    }
}
