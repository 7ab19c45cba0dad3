package io.github.mlflowkeycloak.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import com.google.auto.service.AutoService;
import io.github.mlflowkeycloak.authorization.FollowedReferences;
import io.github.mlflowkeycloak.authorization.ObjectPermissions;
import io.github.mlflowkeycloak.authorization.UnownedInstances;
import io.github.mlflowkeycloak.health.MlflowReadiness;
import io.github.mlflowkeycloak.lookup.MlflowApi;
import io.github.mlflowkeycloak.lookup.ParentExperiments;
import io.github.mlflowkeycloak.ownership.GatewaySecret;
import io.github.mlflowkeycloak.search.FilteredGraphQl;
import io.github.mlflowkeycloak.search.FilteredSearch;
import io.github.mlflowkeycloak.browser.BrowserSessionResource;
import io.github.mlflowkeycloak.browser.BrowserSessions;
import io.github.mlflowkeycloak.identity.BearerTokenVerifier;
import io.github.mlflowkeycloak.identity.ServiceAccountVerifier;
import io.github.mlflowkeycloak.route.RouteTableFile;
import io.github.mlflowkeycloak.version.MlflowRelease;
import io.github.mlflowkeycloak.version.RouteTableSource;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;
import org.keycloak.timer.TimerProvider;

/**
 * Serves {@code /realms/{realm}/mlflow/...}; configured by {@link CheckSettings}. Its provider info
 * (admin console, server info) shows the extension's version, the MLflow releases its route
 * tables cover and every option, the gateway secret as set or not set alone.
 */
@AutoService(RealmResourceProviderFactory.class)
public final class CheckResourceProviderFactory implements RealmResourceProviderFactory, ServerInfoAwareProviderFactory {

    public static final String ID = "mlflow";

    /** The timer task that asks MLflow its release. */
    private static final String RELEASE_TASK = "mlflow-keycloak-release";

    /** Where Maven writes the jar's own coordinates and version. */
    private static final String POM_PROPERTIES = "/META-INF/maven/io.github.mlflowkeycloak/mlflow-keycloak-provider/pom.properties";

    private CheckSettings settings;
    private MlflowRelease release;
    private CallerAuthentication authentication;
    private ObjectPermissions objects;
    private FollowedReferences references;
    private FilteredSearch searches;
    private FilteredGraphQl graphQlAnswers;
    private GatewaySecret gatewaySecret;
    private DecisionMeters meters;
    private MlflowReadiness readiness;
    private MlflowApi mlflow;
    private Map<String, String> operationalInfo;

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {
        settings = CheckSettings.from(config);
        RouteTableSource tables = new RouteTableSource(RouteTableFile.builtIn(), settings.routeTableFile());
        settings.mlflowVersion().ifPresent(pinned -> {
            if (tables.tables().of(pinned).isEmpty()) {
                throw new IllegalArgumentException("Invalid value for option '" + CheckSettings.MLFLOW_VERSION.optionName()
                        + "': no route table covers MLflow " + pinned + " (they cover " + tables.tables().versions() + ")");
            }
        });
        authentication = new CallerAuthentication(new BearerTokenVerifier(settings.clientId(), settings.acceptedTokenClients()),
                new ServiceAccountVerifier(settings.failedSignInLimit(), settings.failedSignInWindowSeconds()),
                new BrowserSessions(settings.uiClientId()));
        mlflow = new MlflowApi(settings.mlflowUrl());
        release = new MlflowRelease(tables, settings.mlflowVersion(), mlflow);
        ParentExperiments parents = new ParentExperiments(mlflow, settings.lookupCacheSize(), settings.missingObjectSeconds() * 1000L);
        objects = new ObjectPermissions(parents);
        references = new FollowedReferences(objects, parents);
        searches = new FilteredSearch(mlflow);
        graphQlAnswers = new FilteredGraphQl(mlflow);
        gatewaySecret = settings.gatewaySecret();
        meters = new DecisionMeters();
        readiness = new MlflowReadiness(release, gatewaySecret, mlflow);
        Map<String, String> info = new LinkedHashMap<>();
        info.put("version", version());
        info.put("mlflow-versions", tables.tables().versions().stream().map(String::valueOf).collect(Collectors.joining(" ")));
        info.putAll(settings.shown());
        operationalInfo = Collections.unmodifiableMap(info);
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new CheckResourceProvider(session, this);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        UnownedInstances.untypeInEveryRealm(factory, settings.clientId());
        release.refresh();
        try (KeycloakSession session = factory.create()) {
            session.getProvider(TimerProvider.class).schedule(release::refresh, MlflowRelease.PROBE_MILLIS, RELEASE_TASK);
        }
        readiness.publish();
    }

    @Override
    public void close() {
        if (readiness != null) {
            readiness.withdraw();
        }
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return CheckSettings.metadata();
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return operationalInfo;
    }

    /** The resource-server client whose authorization settings decide (option client-id). */
    public String clientId() {
        return settings.clientId();
    }

    /** MLflow at its internal URL (option mlflow-url). */
    public MlflowApi mlflow() {
        return mlflow;
    }

    MlflowResource resource(KeycloakSession session) {
        return new MlflowResource(
                new CheckResource(session, settings, release, authentication, objects, references, searches, graphQlAnswers, gatewaySecret,
                        meters),
                new ClientConfigResource(session, settings), new BrowserSessionResource(session, settings.uiClientId(), gatewaySecret),
                new ObjectEventResource(session, gatewaySecret, release, settings));
    }

    /** The version Maven built the jar as; "unknown" outside a jar (classes run from a build directory). */
    private static String version() {
        try (InputStream in = CheckResourceProviderFactory.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return "unknown";
            }
            Properties pom = new Properties();
            pom.load(in);
            return pom.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
