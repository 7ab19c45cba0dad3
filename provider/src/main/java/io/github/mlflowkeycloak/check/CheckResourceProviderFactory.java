package io.github.mlflowkeycloak.check;

import com.google.auto.service.AutoService;
import io.github.mlflowkeycloak.authorization.FollowedReferences;
import io.github.mlflowkeycloak.authorization.ObjectPermissions;
import io.github.mlflowkeycloak.lookup.MlflowApi;
import io.github.mlflowkeycloak.lookup.ParentExperiments;
import io.github.mlflowkeycloak.ownership.GatewaySecret;
import io.github.mlflowkeycloak.search.FilteredGraphQl;
import io.github.mlflowkeycloak.search.FilteredSearch;
import io.github.mlflowkeycloak.browser.BrowserSessionResource;
import io.github.mlflowkeycloak.browser.BrowserSessions;
import io.github.mlflowkeycloak.identity.BearerTokenVerifier;
import io.github.mlflowkeycloak.identity.ServiceAccountVerifier;
import io.github.mlflowkeycloak.route.RouteTable;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Serves {@code /realms/{realm}/mlflow/...}; configured by {@link CheckSettings}. */
@AutoService(RealmResourceProviderFactory.class)
public final class CheckResourceProviderFactory implements RealmResourceProviderFactory {

    public static final String ID = "mlflow";

    private CheckSettings settings;
    private RouteTable routes;
    private BearerTokenVerifier tokens;
    private ServiceAccountVerifier serviceAccounts;
    private BrowserSessions browserSessions;
    private ObjectPermissions objects;
    private FollowedReferences references;
    private FilteredSearch searches;
    private FilteredGraphQl graphQlAnswers;
    private GatewaySecret gatewaySecret;

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {
        settings = CheckSettings.from(config);
        routes = RouteTable.mlflow();
        tokens = new BearerTokenVerifier(settings.clientId());
        browserSessions = new BrowserSessions(settings.uiClientId());
        serviceAccounts = new ServiceAccountVerifier(settings.failedSignInLimit(), settings.failedSignInWindowSeconds());
        MlflowApi mlflow = new MlflowApi(settings.mlflowUrl());
        ParentExperiments parents = new ParentExperiments(mlflow, settings.lookupCacheSize(), settings.missingObjectSeconds() * 1000L);
        objects = new ObjectPermissions(parents);
        references = new FollowedReferences(objects, parents);
        searches = new FilteredSearch(mlflow);
        graphQlAnswers = new FilteredGraphQl(mlflow);
        gatewaySecret = new GatewaySecret(settings.gatewaySecret());
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

    MlflowResource resource(KeycloakSession session) {
        return new MlflowResource(
                new CheckResource(session, settings, routes, tokens, serviceAccounts, browserSessions, objects, references, searches, graphQlAnswers,
                        gatewaySecret),
                new ClientConfigResource(session, settings), new BrowserSessionResource(session, settings.uiClientId(), gatewaySecret),
                new ObjectEventResource(session, gatewaySecret, routes, settings));
    }
}
