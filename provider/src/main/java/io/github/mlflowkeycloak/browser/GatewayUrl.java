package io.github.mlflowkeycloak.browser;

import java.net.URI;
import java.util.Optional;

/**
 * The MLflow host as the browser sees it, from NGINX's {@value #HEADER} ({@code scheme://host}
 * plus MLflow's static prefix). Keycloak validates every redirect URI built from it against the
 * browser client's registered ones, so a forged header cannot send a browser elsewhere.
 */
record GatewayUrl(String origin, String prefix) {

    static final String HEADER = "X-MLflow-Gateway-Url";

    static Optional<GatewayUrl> parse(String header) {
        if (header == null || header.isEmpty()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(header);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getRawAuthority() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.empty();
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return Optional.of(new GatewayUrl(uri.getScheme() + "://" + uri.getRawAuthority(),
                path.endsWith("/") ? path.substring(0, path.length() - 1) : path));
    }

    boolean isSecure() {
        return origin.startsWith("https://");
    }

    /** Where MLflow's paths start: the static prefix and a slash. */
    String cookiePath() {
        return prefix + "/";
    }

    /** Where the sign-in in progress is kept: the /oauth2/ endpoints alone. */
    String loginCookiePath() {
        return prefix + "/oauth2/";
    }

    String url(String pathAndQuery) {
        return origin + prefix + pathAndQuery;
    }

    String callback() {
        return url("/oauth2/callback");
    }
}
