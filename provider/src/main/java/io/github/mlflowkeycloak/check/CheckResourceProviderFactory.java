package io.github.mlflowkeycloak.check;

import com.google.auto.service.AutoService;
import io.github.mlflowkeycloak.authorization.ScopeDecider;
import io.github.mlflowkeycloak.identity.BearerTokenVerifier;
import io.github.mlflowkeycloak.route.RouteTable;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * Serves {@code /realms/{realm}/mlflow/...}. Configuration (Keycloak's SPI options):
 * {@code --spi-realm-restapi-extension--mlflow--client-id} names the resource server client
 * whose permissions decide and whose id access tokens must carry as audience (default
 * {@value #DEFAULT_CLIENT_ID}).
 */
@AutoService(RealmResourceProviderFactory.class)
public final class CheckResourceProviderFactory implements RealmResourceProviderFactory {

    public static final String ID = "mlflow";
    static final String DEFAULT_CLIENT_ID = "mlflow";

    private RouteTable routes;
    private BearerTokenVerifier tokens;
    private ScopeDecider decider;

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {
        String clientId = config.get("client-id", DEFAULT_CLIENT_ID);
        routes = RouteTable.mlflow();
        tokens = new BearerTokenVerifier(clientId);
        decider = new ScopeDecider(clientId);
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new CheckResourceProvider(session, this);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    RouteTable routes() {
        return routes;
    }

    BearerTokenVerifier tokens() {
        return tokens;
    }

    ScopeDecider decider() {
        return decider;
    }
}
