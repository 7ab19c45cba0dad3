package io.github.mlflowkeycloak.check;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.mlflowkeycloak.ownership.GatewaySecret;
import io.github.mlflowkeycloak.route.MlflowVersion;
import io.github.mlflowkeycloak.version.MlflowRelease;
import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The provider's configuration, read once from Keycloak's SPI options
 * ({@code --spi-realm-restapi-extension--mlflow--<name>}); what each sets is its option's help in
 * {@link #OPTIONS}.
 *
 * @param shown every option as the admin console's provider info shows it
 */
record CheckSettings(String clientId, String staticPrefix, int failedSignInLimit, int failedSignInWindowSeconds,
        String sdkClientId, String uiClientId, Set<String> tokenClients, String mlflowUrl, GatewaySecret gatewaySecret, int lookupCacheSize,
        int missingObjectSeconds, int maxObjectsPerRequest, Optional<MlflowVersion> mlflowVersion, Optional<Path> routeTableFile,
        Map<String, String> shown) {

    /** Segments of letters, digits, - and _: the gateway's template puts the prefix into regular expressions as it is. */
    private static final Pattern PREFIX_PATH = Pattern.compile("(/[A-Za-z0-9_-]+)*");

    static final Option<String> CLIENT_ID = clientId("client-id", "mlflow",
            "The resource-server client whose authorization settings decide, and the audience access tokens must carry.");
    static final Option<String> SDK_CLIENT_ID = clientId("sdk-client-id", "mlflow-cli",
            "The public client MLflow's SDK and CLI sign in with, as the gateway's /.well-known/mlflow-keycloak advertises it.");
    static final Option<String> UI_CLIENT_ID = clientId("ui-client-id", "mlflow-ui",
            "The client browsers sign in to the MLflow UI with.");
    static final Option<Set<String>> TOKEN_CLIENTS = new Option<>("token-clients", "string", "", false,
            "Further clients, comma-separated, whose users' access tokens (issued to them: azp) MLflow accepts. Those of"
                    + " sdk-client-id, and a service account's own client-credentials tokens, are accepted anyway; no other, even with"
                    + " the audience client-id (Keycloak adds it to any client's tokens of a user with its roles).",
            CheckSettings::clientIds);
    static final Option<String> STATIC_PREFIX = new Option<>("static-prefix", "string", "", false,
            "MLflow's --static-prefix (for example /mlflow), the same as the gateway's MLFLOW_STATIC_PREFIX; empty for none.",
            CheckSettings::staticPrefix);
    static final Option<String> MLFLOW_URL = new Option<>("mlflow-url", "string", "http://127.0.0.1:5001", false,
            "MLflow's internal URL, never the public one: the extension asks it what a run, trace or logged model belongs to, "
                    + "runs filtered searches against it and probes it for its readiness.",
            CheckSettings::mlflowUrl);
    static final Option<GatewaySecret> GATEWAY_SECRET = new Option<>("gateway-secret", "string", null, true,
            "The secret NGINX proves itself with on every /check and every report of a create: the gateway's "
                    + "MLFLOW_GATEWAY_SECRET. At least 16 characters of A-Z a-z 0-9 . _ ~ + / = -. Without it /check refuses every request.",
            GatewaySecret::new);
    static final Option<Integer> FAILED_SIGN_IN_LIMIT = Option.number("failed-sign-in-limit", 5, 1,
            "Failed service-account sign-ins of one client from one address after which that address is refused for the rest of the window.");
    static final Option<Integer> FAILED_SIGN_IN_WINDOW_SECONDS = Option.number("failed-sign-in-window-seconds", 60, 1,
            "The window, in seconds, in which failed-sign-in-limit counts an address's failures, and then refuses it.");
    static final Option<Integer> LOOKUP_CACHE_SIZE = Option.number("lookup-cache-size", 100_000, 1,
            "Entries of each cache of what belongs to which experiment (runs, traces, logged models, issues, label schemas, review queues).");
    static final Option<Integer> MISSING_OBJECT_SECONDS = Option.number("missing-object-seconds", 10, 0,
            "How long an id MLflow does not know is refused without asking MLflow again, so that refusing a made-up id "
                    + "and an existing one take alike; 0: always ask.");
    static final Option<Integer> MAX_OBJECTS_PER_REQUEST = Option.number("max-objects-per-request", 1000, 1,
            "Distinct objects one request may name; more is a 400.");

    static final Option<Optional<MlflowVersion>> MLFLOW_VERSION = new Option<>("mlflow-version", "string", "", false,
            "The MLflow release behind the gateway, for example 3.15.2: its route table decides while MLflow's /version (asked at"
                    + " start and every " + MlflowRelease.PROBE_MILLIS / 1000 + " s) cannot be asked, and every request is refused while"
                    + " MLflow answers another release; empty: the release /version answers. A release no table covers is refused.",
            text -> text.isBlank() ? Optional.empty() : Optional.of(MlflowVersion.parse(text.strip())));
    static final Option<Optional<Path>> ROUTE_TABLE_FILE = new Option<>("route-table-file", "string", "", false,
            "A route-table file on disk that covers MLflow releases the built-in table does not, or replaces its table of a release "
                    + "(MLFLOW-VERSIONS, optionally EXTENDS, then route lines; see the README). Checked at start, and read again "
                    + "whenever it changes: a file that does not load leaves the tables in force. Empty for the built-in table alone.",
            CheckSettings::routeTableFile);

    /** Every option, in the order the README and the provider info list them. */
    static final List<Option<?>> OPTIONS = List.of(MLFLOW_URL, GATEWAY_SECRET, CLIENT_ID, SDK_CLIENT_ID, UI_CLIENT_ID,
            TOKEN_CLIENTS, STATIC_PREFIX, FAILED_SIGN_IN_LIMIT, FAILED_SIGN_IN_WINDOW_SECONDS, LOOKUP_CACHE_SIZE, MISSING_OBJECT_SECONDS,
            MAX_OBJECTS_PER_REQUEST, MLFLOW_VERSION, ROUTE_TABLE_FILE);

    /** @throws IllegalArgumentException naming every malformed option, so that Keycloak does not start */
    static CheckSettings from(Config.Scope config) {
        Map<Option<?>, Object> values = new HashMap<>();
        Map<String, String> shown = new LinkedHashMap<>();
        List<String> malformed = new ArrayList<>();
        for (Option<?> option : OPTIONS) {
            String configured = config.get(option.name());
            try {
                Object value = option.read(configured);
                values.put(option, value);
                shown.put(option.name(), option.shown(configured, value));
            } catch (IllegalArgumentException e) {
                malformed.add(e.getMessage());
            }
        }
        if (!malformed.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", malformed));
        }
        return new CheckSettings(value(values, CLIENT_ID), value(values, STATIC_PREFIX), value(values, FAILED_SIGN_IN_LIMIT),
                value(values, FAILED_SIGN_IN_WINDOW_SECONDS), value(values, SDK_CLIENT_ID), value(values, UI_CLIENT_ID),
                value(values, TOKEN_CLIENTS), value(values, MLFLOW_URL), value(values, GATEWAY_SECRET), value(values, LOOKUP_CACHE_SIZE),
                value(values, MISSING_OBJECT_SECONDS), value(values, MAX_OBJECTS_PER_REQUEST),
                value(values, MLFLOW_VERSION), value(values, ROUTE_TABLE_FILE), Collections.unmodifiableMap(shown));
    }

    /** The options as Keycloak takes their declaration ({@code getConfigMetadata}). */
    static List<ProviderConfigProperty> metadata() {
        ProviderConfigurationBuilder builder = ProviderConfigurationBuilder.create();
        for (Option<?> option : OPTIONS) {
            builder.property().name(option.name()).type(option.type()).helpText(option.help())
                    .defaultValue(option.defaultValue()).secret(option.secret()).add();
        }
        return builder.build();
    }

    /** The path MLflow routes on under its static prefix; empty when the path is outside it. */
    Optional<String> withoutStaticPrefix(String path) {
        if (staticPrefix.isEmpty()) {
            return Optional.of(path);
        }
        if (path.startsWith(staticPrefix) && path.length() > staticPrefix.length()
                && path.charAt(staticPrefix.length()) == '/') {
            return Optional.of(path.substring(staticPrefix.length()));
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static <T> T value(Map<Option<?>, Object> values, Option<T> option) {
        return (T) values.get(option);
    }

    private static Set<String> clientIds(String text) {
        Set<String> clients = new LinkedHashSet<>();
        for (String client : text.split(",")) {
            if (!client.isBlank()) {
                clients.add(client.strip());
            }
        }
        return Collections.unmodifiableSet(clients);
    }

    /** The clients whose users' access tokens MLflow accepts (besides a service account's own). */
    Set<String> acceptedTokenClients() {
        // Not the UI's client: its codes are redeemed in-process (browser sessions), its tokens never sent back.
        Set<String> accepted = new LinkedHashSet<>(List.of(sdkClientId));
        accepted.addAll(tokenClients);
        return Collections.unmodifiableSet(accepted);
    }

    private static Option<String> clientId(String name, String defaultValue, String help) {
        return new Option<>(name, "string", defaultValue, false, help, text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException("must name a client");
            }
            return text;
        });
    }

    /** MLflow's own form of its prefix, which it takes with or without a trailing slash. */
    private static String staticPrefix(String text) {
        String prefix = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        if (!PREFIX_PATH.matcher(prefix).matches()) {
            throw new IllegalArgumentException("must be empty or a path of letters, digits, - and _ that starts with /, not '" + text + "'");
        }
        return prefix;
    }

    private static Optional<Path> routeTableFile(String text) {
        if (text.isBlank()) {
            return Optional.empty();
        }
        Path file;
        try {
            file = Path.of(text.strip());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + text + "' is not a file path");
        }
        if (!file.isAbsolute()) {
            throw new IllegalArgumentException("must be an absolute path, not '" + text + "'");
        }
        return Optional.of(file);
    }

    private static String mlflowUrl(String text) {
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL");
        }
        if (url.getScheme() == null || !List.of("http", "https").contains(url.getScheme().toLowerCase(Locale.ROOT))
                || url.getHost() == null || url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("must be an http or https URL with a host and no user, query or fragment, not '" + text + "'");
        }
        return text;
    }
}
