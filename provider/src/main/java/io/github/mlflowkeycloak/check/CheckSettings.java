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
 */
record CheckSettings(String clientId, String staticPrefix) {

    static final String DEFAULT_CLIENT_ID = "mlflow";

    CheckSettings {
        if (!staticPrefix.isEmpty() && (!staticPrefix.startsWith("/") || staticPrefix.endsWith("/"))) {
            throw new IllegalArgumentException("static-prefix must start with / and not end with /: " + staticPrefix);
        }
    }

    static CheckSettings from(Config.Scope config) {
        String prefix = config.get("static-prefix", "");
        return new CheckSettings(config.get("client-id", DEFAULT_CLIENT_ID),
                prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
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
