package io.github.mlflowkeycloak.route;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every (method, path) of one MLflow release's server that the gateway lets through, with what it
 * asks of the caller. A request that matches no route is denied. Made from a {@link RouteTableFile}
 * for one release it covers.
 */
public final class RouteTable {

    private final MlflowVersion mlflowVersion;
    private final String source;
    private final List<Route> routes;
    /** Static paths, keyed by {@code METHOD + ' ' + path}. */
    private final Map<String, Route> exact;
    /** Paths with variables, per method, most specific first. */
    private final Map<String, List<Route>> patterned;

    RouteTable(MlflowVersion mlflowVersion, String source, List<Route> routes) {
        this.mlflowVersion = mlflowVersion;
        this.source = source;
        this.routes = List.copyOf(routes);
        Map<String, Route> exact = new HashMap<>();
        Map<String, List<Route>> patterned = new HashMap<>();
        for (Route route : routes) {
            if (route.path().isStatic()) {
                Route previous = exact.put(key(route.method(), route.path().toString()), route);
                if (previous != null) {
                    throw new IllegalArgumentException("route listed twice: " + route.method() + " " + route.path());
                }
            } else {
                patterned.computeIfAbsent(route.method(), m -> new ArrayList<>()).add(route);
            }
        }
        patterned.values().forEach(list -> list.sort(
                Comparator.comparingInt((Route r) -> r.path().specificity()).reversed()));
        this.exact = exact;
        this.patterned = patterned;
    }

    /** The built-in table of the newest MLflow release it covers (the one mlflow/requirements.txt pins). */
    public static RouteTable mlflow() {
        RouteTableFile builtIn = RouteTableFile.builtIn();
        return builtIn.table(builtIn.versions().get(builtIn.versions().size() - 1), null);
    }

    /** The table a route-table file without EXTENDS gives the newest release it covers. */
    public static RouteTable parse(InputStream in) throws IOException {
        RouteTableFile file = RouteTableFile.parse(in, "the table");
        return file.table(file.versions().get(file.versions().size() - 1), null);
    }

    /**
     * @param method the request method; HEAD is looked up as GET, as MLflow serves it
     * @param path   the decoded, canonical path (see {@link RequestPath})
     */
    public Optional<Route> lookup(String method, String path) {
        String effectiveMethod = "HEAD".equals(method) ? "GET" : method;
        Route route = exact.get(key(effectiveMethod, path));
        if (route != null) {
            return Optional.of(route);
        }
        for (Route candidate : patterned.getOrDefault(effectiveMethod, Collections.emptyList())) {
            if (candidate.path().matches(path)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The MLflow release whose routes the table lists. */
    public MlflowVersion mlflowVersion() {
        return mlflowVersion;
    }

    /** The file the table was read from: the built-in one or an override file. */
    public String source() {
        return source;
    }

    public List<Route> routes() {
        return routes;
    }

    private static String key(String method, String path) {
        return method + ' ' + path;
    }
}
