package io.github.mlflowkeycloak.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import io.github.mlflowkeycloak.request.BadRequestException;
import io.github.mlflowkeycloak.request.MlflowRequest;
import io.github.mlflowkeycloak.request.ObjectIds;
import io.github.mlflowkeycloak.stack.MlflowRoutes;
import org.junit.jupiter.api.Test;

/**
 * A property test of path and id reading against MLflow's own routers: thousands of request
 * targets, made by bending the table's routes with the tricks that have broken other MLflow
 * gateways (encoded slashes and dots, doubled and trailing slashes, case, odd escapes, prefix
 * swaps), each with a random query string and body. For each, the route the gateway would check
 * must be the route MLflow would serve (asked of the installed MLflow's Flask and FastAPI
 * routers, by mlflow_routes.py --match), and reading its ids must never fail other than with a
 * 400. Deterministic: a fixed seed, printed with any failure.
 */
class RoutingDifferentialIT {

    private static final long SEED = 20261129L;
    private static final int CASES = 6000;
    private static final RouteTable TABLE = RouteTable.mlflow();
    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    private static final String[] SEGMENT_VALUES = {"1", "abc", "r-0123abcd", "a.b", "%2F", "%2f", "..", ".", "%2e%2e",
            "%2E", "a%20b", "%C3%A9", "%00", "%", "%zz", "a;b", "A", "_", "x%2Fy", "%5C", "~", "a+b", "%252F"};
    private static final String[] ID_VALUES = {"1", "2", "abc", "", "%2F", "a%26run_id%3D2", "%FF", "é"};

    @Test
    void theRouteCheckedIsTheRouteMlflowServes() throws Exception {
        Random random = new Random(SEED);
        List<String[]> cases = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            Route route = TABLE.routes().get(random.nextInt(TABLE.routes().size()));
            String method = random.nextInt(4) == 0 ? METHODS[random.nextInt(METHODS.length)] : route.method();
            String target = mutate(concrete(route.path().toString(), random), random) + query(route, random);
            cases.add(new String[] {method, target, body(route, random)});
        }

        List<String> mlflow = askMlflow(cases);
        int checked = 0;
        for (int i = 0; i < cases.size(); i++) {
            String method = cases.get(i)[0];
            String target = cases.get(i)[1];
            String context = "seed " + SEED + ", case " + i + ": " + method + " " + target;
            Optional<String> path = RequestPath.decode(target);
            Optional<Route> ours = path.flatMap(p -> TABLE.lookup(method, p));
            if (ours.isEmpty()) {
                continue; // denied: whatever MLflow would do, it never sees the request
            }
            checked++;
            String lookupMethod = "HEAD".equals(method) ? "GET" : method;
            assertThat(mlflow.get(i)).as(context).isEqualTo(lookupMethod + " " + ours.get().path());
            byte[] body = cases.get(i)[2] == null ? null : cases.get(i)[2].getBytes(StandardCharsets.UTF_8);
            try {
                ObjectIds.read(ours.get(), path.get(), new MlflowRequest(method, target, name -> List.of(), body));
            } catch (BadRequestException expected) {
                // a 400: allowed
            }
        }
        // The generator must reach the interesting part: many requests that the table does route.
        assertThat(checked).as("targets the table routes").isGreaterThan(CASES / 4);
    }

    private static List<String> askMlflow(List<String[]> cases) throws IOException, InterruptedException {
        return MlflowRoutes.match(cases.stream().map(c -> c[0] + " " + c[1]).toList());
    }

    /** The pattern with its variables filled in, sometimes with hostile values. */
    private static String concrete(String pattern, Random random) {
        StringBuilder path = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            int open = pattern.indexOf('<', i);
            if (open < 0) {
                path.append(pattern, i, pattern.length());
                break;
            }
            path.append(pattern, i, open);
            int close = pattern.indexOf('>', open);
            boolean rest = pattern.startsWith("<path:", open);
            path.append(rest ? restValue(random) : pick(SEGMENT_VALUES, random));
            i = close + 1;
        }
        return path.toString();
    }

    private static String restValue(Random random) {
        List<String> segments = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            segments.add(random.nextInt(3) == 0 ? pick(SEGMENT_VALUES, random) : "s" + i);
        }
        return String.join(random.nextInt(8) == 0 ? "//" : "/", segments);
    }

    private static String mutate(String path, Random random) {
        switch (random.nextInt(12)) {
            case 0:
                return path + "/";
            case 1:
                return path.replaceFirst("/", "//");
            case 2: {
                int slash = path.lastIndexOf('/');
                return slash <= 0 ? path : path.substring(0, slash) + "/." + path.substring(slash);
            }
            case 3:
                return path.replaceFirst("/mlflow/", "/mlflow/x/../");
            case 4:
                return path.replaceFirst("/mlflow/", "/mlflow%2F").replaceFirst("%2F/", "%2F");
            case 5: {
                int at = random.nextInt(path.length());
                return path.substring(0, at) + Character.toUpperCase(path.charAt(at)) + path.substring(at + 1);
            }
            case 6: {
                int at = 1 + random.nextInt(Math.max(1, path.length() - 1));
                char c = path.charAt(Math.min(at, path.length() - 1));
                return c == '%' || c == '/' ? path
                        : path.substring(0, at) + String.format("%%%02X", (int) c) + path.substring(Math.min(at + 1, path.length()));
            }
            case 7:
                return path.startsWith("/api/") ? "/ajax-api/" + path.substring(5)
                        : path.startsWith("/ajax-api/") ? "/api/" + path.substring(10) : path;
            case 8:
                return path + ";jsessionid=x";
            case 9:
                return path.replace("2.0", "3.0");
            default:
                return path;
        }
    }

    private static String query(Route route, Random random) {
        if (random.nextInt(3) == 0) {
            return random.nextBoolean() ? "" : "?";
        }
        StringBuilder query = new StringBuilder("?");
        int pairs = 1 + random.nextInt(3);
        for (int i = 0; i < pairs; i++) {
            String name = route.ids().isEmpty() || random.nextInt(4) == 0 ? "max_results"
                    : route.ids().get(random.nextInt(route.ids().size())).name();
            query.append(i == 0 ? "" : "&").append(name).append('=').append(pick(ID_VALUES, random));
        }
        return query.toString();
    }

    private static String body(Route route, Random random) {
        switch (random.nextInt(6)) {
            case 0:
                return null;
            case 1:
                return "{not json";
            case 2:
                return "[1, 2]";
            default: {
                StringBuilder json = new StringBuilder("{");
                int fields = random.nextInt(4);
                for (int i = 0; i < fields; i++) {
                    String name = route.ids().isEmpty() ? "name" : route.ids().get(random.nextInt(route.ids().size())).name();
                    if (random.nextInt(4) == 0) {
                        name = name.replace("_i", "I");
                    }
                    Object value = random.nextInt(5) == 0 ? List.of("1", "2") : random.nextInt(6) == 0 ? Map.of() : pick(ID_VALUES, random);
                    json.append(i == 0 ? "" : ", ").append('"').append(name).append("\": ").append(jsonValue(value));
                }
                return json.append('}').toString();
            }
        }
    }

    private static String jsonValue(Object value) {
        if (value instanceof List<?> list) {
            return "[\"" + String.join("\", \"", list.stream().map(Object::toString).toList()) + "\"]";
        }
        if (value instanceof Map<?, ?>) {
            return "{}";
        }
        return "\"" + value + "\"";
    }

    private static String pick(String[] values, Random random) {
        return values[random.nextInt(values.length)];
    }
}
