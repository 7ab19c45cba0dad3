package io.github.mlflowkeycloak.route;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every (method, path) of MLflow's server that the gateway lets through, with what it asks of
 * the caller. A request that matches no route is denied.
 *
 * <p>The table is data: {@code mlflow-routes.txt} beside this class, one route a line:
 * <pre>METHOD  PATH  ACCESS  [IDS  [REFS  [WHO]]]</pre>
 * (IDS or REFS {@code -} when a route has none but has a later column), and one line
 * {@code MLFLOW-VERSION <version>} naming the MLflow release whose routes it lists.
 * A path that starts with {@code /api/} stands for itself and the same path under
 * {@code /ajax-api/}, as MLflow serves every REST endpoint under both prefixes.
 */
public final class RouteTable {

    public static final String RESOURCE = "mlflow-routes.txt";

    private static final String VERSION_LINE = "MLFLOW-VERSION";

    private final String mlflowVersion;
    private final List<Route> routes;
    /** Static paths, keyed by {@code METHOD + ' ' + path}. */
    private final Map<String, Route> exact;
    /** Paths with variables, per method, most specific first. */
    private final Map<String, List<Route>> patterned;

    private RouteTable(String mlflowVersion, List<Route> routes) {
        this.mlflowVersion = mlflowVersion;
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
        if (mlflowVersion == null) {
            throw new IllegalArgumentException("the table names no MLflow version (" + VERSION_LINE + " <version>)");
        }
    }

    /** The table shipped with the provider. */
    public static RouteTable mlflow() {
        try (InputStream in = RouteTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the provider jar");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RouteTable parse(InputStream in) throws IOException {
        List<Route> routes = new ArrayList<>();
        String mlflowVersion = null;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            String content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            String[] fields = content.split("\\s+");
            if (fields[0].equals(VERSION_LINE)) {
                if (fields.length != 2 || mlflowVersion != null) {
                    throw new IllegalArgumentException("line " + number + ": expected one " + VERSION_LINE + " <version>: " + line);
                }
                mlflowVersion = fields[1];
                continue;
            }
            if (fields.length < 3 || fields.length > 6) {
                throw new IllegalArgumentException("line " + number + ": expected METHOD PATH ACCESS [IDS [REFS [WHO]]]: " + line);
            }
            try {
                String method = fields[0];
                if (method.equals("HEAD")) {
                    throw new IllegalArgumentException("HEAD is served as GET; list the GET route");
                }
                Access access = Access.parse(fields[2]);
                for (String path : expandPrefixes(fields[1])) {
                    PathPattern pattern = PathPattern.parse(path);
                    List<RequestField> ids = new ArrayList<>();
                    if (fields.length >= 4 && !fields[3].equals("-")) {
                        for (String id : fields[3].split(",")) {
                            ids.add(RequestField.parse(id, pattern));
                        }
                    }
                    List<Reference> references = new ArrayList<>();
                    if (fields.length >= 5 && !fields[4].equals("-")) {
                        for (String reference : fields[4].split(",")) {
                            references.add(Reference.parse(reference, pattern));
                        }
                    }
                    List<Author> authors = new ArrayList<>();
                    if (fields.length == 6) {
                        for (String author : fields[5].split(",")) {
                            authors.add(Author.parse(author, pattern));
                        }
                        if (method.equals("GET")) {
                            throw new IllegalArgumentException("the gateway rewrites bodies, and MLflow reads a GET's fields from its query string");
                        }
                    }
                    routes.add(new Route(method, pattern, access, ids, references, authors));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + number + ": " + e.getMessage(), e);
            }
        }
        return new RouteTable(mlflowVersion, routes);
    }

    private static List<String> expandPrefixes(String path) {
        if (path.startsWith("/api/")) {
            return List.of(path, "/ajax-api/" + path.substring("/api/".length()));
        }
        return List.of(path);
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
    public String mlflowVersion() {
        return mlflowVersion;
    }

    public List<Route> routes() {
        return routes;
    }

    private static String key(String method, String path) {
        return method + ' ' + path;
    }
}
