package io.github.mlflowkeycloak.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import io.github.mlflowkeycloak.stack.MlflowRoutes;
import io.github.mlflowkeycloak.stack.MlflowVenv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request field that could name an object, read from MLflow's own protobuf messages and
 * handlers (mlflow_object_fields.py), is classified by the route table: it names an object the
 * route acts on (IDS), MLflow follows it to another object (REFS), or the committed allowlist
 * {@code unfollowed-fields.txt} says why MLflow follows it nowhere a caller could not already
 * reach. After an MLflow upgrade the failure lists exactly the fields that came (unclassified)
 * and went (stale allowlist lines).
 */
class ObjectFieldCoverageIT {

    static final String ALLOWLIST = "unfollowed-fields.txt";

    private static List<String> objectFields;
    private static List<String> allFields;

    @BeforeAll
    static void readMlflow() throws Exception {
        CompletableFuture<List<String>> all = CompletableFuture.supplyAsync(() -> {
            try {
                return MlflowRoutes.objectFields(true);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        objectFields = MlflowRoutes.objectFields(false);
        allFields = all.join();
    }

    @Test
    void everyFieldThatCouldNameAnObjectIsClassified() {
        assertThat(objectFields).as("fields read from MLflow").hasSizeGreaterThan(400);
        Map<String, Route> routes = routesByLine();
        Map<String, String> allowlist = FieldAllowlist.read(ALLOWLIST);

        Set<String> found = new TreeSet<>();
        Set<String> unclassified = new TreeSet<>();
        Set<String> unrouted = new TreeSet<>();
        Set<String> allowlistedAndInTable = new TreeSet<>();
        int inIds = 0;
        int inReferences = 0;
        int allowlisted = 0;
        for (String line : objectFields) {
            found.add(line);
            Field field = Field.parse(line);
            Route route = routes.get(field.route());
            if (route == null) {
                unrouted.add(line);
                continue;
            }
            boolean id = route.ids().stream().anyMatch(f -> key(f).equals(field.key()));
            boolean reference = route.references().stream().anyMatch(r -> key(r.field()).equals(field.key()));
            boolean listed = allowlist.containsKey(line);
            if (id) {
                inIds++;
            } else if (reference) {
                inReferences++;
            } else if (listed) {
                allowlisted++;
            } else {
                unclassified.add(line);
            }
            if (listed && (id || reference)) {
                allowlistedAndInTable.add(line);
            }
        }
        Set<String> stale = new TreeSet<>(allowlist.keySet());
        stale.removeAll(found);

        System.out.printf("ObjectFieldCoverageIT: %d fields that could name an object: %d in IDS, %d in REFS, %d allowlisted,"
                + " %d unclassified%n", found.size(), inIds, inReferences, allowlisted, unclassified.size());
        assertThat(unrouted).as("fields of routes the table lacks (see RouteCoverageIT)").isEmpty();
        assertThat(unclassified).as(unclassified.size() + " fields that could name an object, in neither IDS nor REFS of"
                + " their route nor in " + ALLOWLIST + " (say where MLflow follows each, or why it follows it nowhere)").isEmpty();
        assertThat(stale).as(ALLOWLIST + " lines that match no field MLflow reads (remove them)").isEmpty();
        assertThat(allowlistedAndInTable).as(ALLOWLIST + " lines for fields the route table classifies (remove them)").isEmpty();
    }

    static List<MlflowVersion> olderReleases() {
        MlflowVersion pinned = RouteTable.mlflow().mlflowVersion();
        return MlflowVenv.supported().stream().filter(release -> !release.equals(pinned)).toList();
    }

    /**
     * The same for each older release the table covers, with that release's table: a field an
     * older MLflow reads and the pinned one no longer does would otherwise go unchecked. (Stale
     * allowlist lines are the pinned release's business, above.)
     */
    @ParameterizedTest(name = "MLflow {0}")
    @MethodSource("olderReleases")
    void everyFieldOfAnOlderReleaseThatCouldNameAnObjectIsClassified(MlflowVersion release) throws Exception {
        List<String> fields = MlflowRoutes.objectFields(release);
        assertThat(fields).as("fields read from MLflow " + release).hasSizeGreaterThan(400);
        Map<String, Route> routes = new HashMap<>();
        for (Route route : RouteTableFile.builtIn().table(release, null).routes()) {
            routes.put(route.method() + " " + route.path(), route);
        }
        Map<String, String> allowlist = FieldAllowlist.read(ALLOWLIST);
        Set<String> unclassified = new TreeSet<>();
        for (String line : fields) {
            Field field = Field.parse(line);
            Route route = routes.get(field.route());
            boolean classified = route != null && (allowlist.containsKey(line)
                    || route.ids().stream().anyMatch(f -> key(f).equals(field.key()))
                    || route.references().stream().anyMatch(r -> key(r.field()).equals(field.key())));
            if (!classified) {
                unclassified.add(line);
            }
        }
        assertThat(unclassified).as("fields MLflow " + release + " reads that could name an object, in neither IDS nor REFS of"
                + " its table nor in " + ALLOWLIST).isEmpty();
    }

    /** IDS and REFS name fields MLflow reads on that route: a misspelt field would be read nowhere, and checked never. */
    @Test
    void everyFieldOfTheTableIsOneMlflowReads() {
        Set<String> read = new TreeSet<>();
        for (String line : allFields) {
            Field field = Field.parse(line);
            read.add(field.route() + " " + field.key());
        }
        Set<String> unknown = new TreeSet<>();
        Map<String, Route> routes = routesByLine();
        for (Map.Entry<String, Route> entry : routes.entrySet()) {
            Route route = entry.getValue();
            if (route.path().toString().startsWith("/ajax-api/") && routes.containsKey(route.operation())) {
                continue; // the /api/ line's twin: MLflow's fields are read once, for the /api/ line
            }
            route.ids().forEach(f -> {
                if (!read.contains(entry.getKey() + " " + key(f))) {
                    unknown.add(entry.getKey() + " IDS " + f.name());
                }
            });
            route.references().forEach(r -> {
                if (!read.contains(entry.getKey() + " " + key(r.field()))) {
                    unknown.add(entry.getKey() + " REFS " + r.field().name());
                }
            });
        }
        assertThat(unknown).as("fields of the route table that MLflow does not read on their route").isEmpty();
    }

    /** The table's routes by "METHOD PATH", as the script writes them (the /api/ line for both prefixes). */
    private static Map<String, Route> routesByLine() {
        Map<String, Route> routes = new HashMap<>();
        for (Route route : RouteTable.mlflow().routes()) {
            routes.put(route.method() + " " + route.path(), route);
        }
        return routes;
    }

    /** A field as both sides can compare it: its name, where MLflow reads it aside (a header's name in lower case). */
    private static String key(RequestField field) {
        return switch (field.source()) {
            case HEADER -> "header:" + field.name().toLowerCase(Locale.ROOT);
            case OTLP -> "otlp:" + field.name();
            default -> field.name();
        };
    }

    private record Field(String route, String key) {

        static Field parse(String line) {
            String[] parts = line.split(" ", 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException("not METHOD PATH FIELD: " + line);
            }
            String field = parts[2];
            String key;
            if (field.startsWith("header:")) {
                key = field.toLowerCase(Locale.ROOT);
            } else if (field.startsWith("query:") || field.startsWith("body:")) {
                key = field.substring(field.indexOf(':') + 1);
            } else {
                key = field;
            }
            return new Field(parts[0] + " " + parts[1], key);
        }
    }
}
