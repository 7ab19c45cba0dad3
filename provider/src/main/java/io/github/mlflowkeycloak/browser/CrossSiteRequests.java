package io.github.mlflowkeycloak.browser;

import java.util.Set;

/**
 * CSRF protection for requests that a browser's cookie authenticates: a request that can change
 * something must come from the MLflow host's own pages. Browsers send {@code Origin} with every
 * such request from a page (and {@code Sec-Fetch-Site}); another site's page cannot forge either.
 * Requests with a bearer token or client credentials are not affected: no browser adds those.
 */
public final class CrossSiteRequests {

    /** NGINX's header with the MLflow host as the browser sees it. */
    public static final String GATEWAY_URL_HEADER = GatewayUrl.HEADER;

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private CrossSiteRequests() {
    }

    /**
     * @param gatewayUrl   NGINX's {@code X-MLflow-Gateway-Url}
     * @param origin       the request's {@code Origin}, or null
     * @param fetchSite    the request's {@code Sec-Fetch-Site}, or null
     */
    public static boolean isAllowed(String method, String gatewayUrl, String origin, String fetchSite) {
        if (SAFE_METHODS.contains(method)) {
            return true;
        }
        if (origin != null && !origin.isEmpty()) {
            return GatewayUrl.parse(gatewayUrl).map(gateway -> gateway.origin().equalsIgnoreCase(origin)).orElse(false);
        }
        return "same-origin".equals(fetchSite);
    }
}
