package io.github.mlflowkeycloak.check;

import java.util.Optional;

import org.keycloak.Config;

/**
 * The provider's configuration, read once from Keycloak's SPI options
 * ({@code --spi-realm-restapi-extension--mlflow--<name>}).
 *
 * @param clientId     the resource-server client whose permissions decide, and the audience
 *                     access tokens must carry ({@code client-id}, default {@code mlflow})
 * @param staticPrefix MLflow's {@code --static-prefix}, without a trailing slash; empty for none
 *                     ({@code static-prefix})
 * @param failedSignInLimit         failed service-account sign-ins of one client from one address
 *                                  after which that address is refused for the rest of the window
 *                                  ({@code failed-sign-in-limit}, default 5)
 * @param failedSignInWindowSeconds that window ({@code failed-sign-in-window-seconds}, default 60)
 * @param sdkClientId  the public client MLflow's SDK and CLI sign in with, as advertised to them
 *                     ({@code sdk-client-id}, default {@code mlflow-cli})
 * @param uiClientId   the client browsers sign in to the MLflow UI with
 *                     ({@code ui-client-id}, default {@code mlflow-ui})
 * @param mlflowUrl    MLflow's internal URL, which the extension asks what runs, traces and
 *                     logged models belong to ({@code mlflow-url}, default {@code http://127.0.0.1:5001})
 * @param gatewaySecret the secret the gateway proves itself with when it reports MLflow's answers
 *                     ({@code gateway-secret}; none: no owner is ever recorded)
 * @param lookupCacheSize entries of each cache of which experiment a run, trace, logged model,
 *                     issue, label schema or review queue belongs to
 *                     ({@code lookup-cache-size}, default 100000)
 * @param missingObjectSeconds how long an id MLflow does not know is refused without asking
 *                     MLflow again, so that refusals of made-up and of existing ids take alike
 *                     ({@code missing-object-seconds}, default 10; 0: always ask)
 * @param maxObjectsPerRequest distinct objects one request may name; more is a 400
 *                     ({@code max-objects-per-request}, default 1000)
 */
record CheckSettings(String clientId, String staticPrefix, int failedSignInLimit, int failedSignInWindowSeconds,
        String sdkClientId, String uiClientId, String mlflowUrl, String gatewaySecret, int lookupCacheSize,
        int missingObjectSeconds, int maxObjectsPerRequest) {

    static final String DEFAULT_CLIENT_ID = "mlflow";

    CheckSettings {
        if (!staticPrefix.isEmpty() && (!staticPrefix.startsWith("/") || staticPrefix.endsWith("/"))) {
            throw new IllegalArgumentException("static-prefix must start with / and not end with /: " + staticPrefix);
        }
        if (failedSignInLimit < 1 || failedSignInWindowSeconds < 1) {
            throw new IllegalArgumentException("failed-sign-in-limit and failed-sign-in-window-seconds must be positive");
        }
        if (!mlflowUrl.startsWith("http://") && !mlflowUrl.startsWith("https://")) {
            throw new IllegalArgumentException("mlflow-url must be an http or https URL: " + mlflowUrl);
        }
        if (lookupCacheSize < 1) {
            throw new IllegalArgumentException("lookup-cache-size must be positive");
        }
        if (missingObjectSeconds < 0) {
            throw new IllegalArgumentException("missing-object-seconds must not be negative");
        }
        if (maxObjectsPerRequest < 1) {
            throw new IllegalArgumentException("max-objects-per-request must be positive");
        }
    }

    static CheckSettings from(Config.Scope config) {
        String prefix = config.get("static-prefix", "");
        return new CheckSettings(config.get("client-id", DEFAULT_CLIENT_ID),
                prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix,
                config.getInt("failed-sign-in-limit", 5), config.getInt("failed-sign-in-window-seconds", 60),
                config.get("sdk-client-id", "mlflow-cli"), config.get("ui-client-id", "mlflow-ui"),
                config.get("mlflow-url", "http://127.0.0.1:5001"), config.get("gateway-secret"),
                config.getInt("lookup-cache-size", 100_000), config.getInt("missing-object-seconds", 10),
                config.getInt("max-objects-per-request", 1000));
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
}
