package io.github.mlflowkeycloak.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.mlflowkeycloak.stack.MlflowRoutes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every request field through which a client could say who did something, read from MLflow's own
 * protobuf messages and handlers (mlflow_author_fields.py: fields named after a person, every field
 * that sets tags, the key of a request that sets or deletes a tag), is classified: the route
 * table's WHO column rewrites or refuses it, or the committed allowlist
 * {@code unattributed-fields.txt} says why MLflow records no author from it. After an MLflow
 * upgrade the failure lists the fields that came and went.
 */
class AuthorFieldCoverageIT {

    static final String ALLOWLIST = "unattributed-fields.txt";

    private static List<String> authorFields;

    @BeforeAll
    static void readMlflow() throws Exception {
        authorFields = MlflowRoutes.authorFields();
    }

    @Test
    void everyFieldThatCouldSayWhoIsClassified() {
        assertThat(authorFields).as("fields read from MLflow").hasSizeGreaterThan(50);
        Map<String, Route> routes = routesByLine();
        Map<String, String> allowlist = FieldAllowlist.read(ALLOWLIST);
        Set<String> unclassified = new TreeSet<>();
        Set<String> unrouted = new TreeSet<>();
        Set<String> listedAndInTable = new TreeSet<>();
        int inTable = 0;
        for (String line : authorFields) {
            String[] parts = line.split(" ", 3);
            Route route = routes.get(parts[0] + " " + parts[1]);
            if (route == null) {
                unrouted.add(line);
                continue;
            }
            boolean who = route.authors().stream().anyMatch(author -> sameField(parts[2], author));
            boolean listed = allowlist.containsKey(line);
            if (who) {
                inTable++;
            } else if (!listed) {
                unclassified.add(line);
            }
            if (who && listed) {
                listedAndInTable.add(line);
            }
        }
        Set<String> stale = new TreeSet<>(allowlist.keySet());
        stale.removeAll(authorFields);

        System.out.printf("AuthorFieldCoverageIT: %d fields that could say who: %d in WHO, %d allowlisted, %d unclassified%n",
                authorFields.size(), inTable, allowlist.size() - stale.size(), unclassified.size());
        assertThat(unrouted).as("fields of routes the table lacks (see RouteCoverageIT)").isEmpty();
        assertThat(unclassified).as(unclassified.size() + " fields that could say who did something, in neither the WHO column of"
                + " their route nor " + ALLOWLIST + " (rewrite or refuse each, or say why MLflow records no author from it)").isEmpty();
        assertThat(stale).as(ALLOWLIST + " lines that match no field MLflow reads (remove them)").isEmpty();
        assertThat(listedAndInTable).as(ALLOWLIST + " lines for fields the WHO column classifies (remove them)").isEmpty();
    }

    /** WHO names fields MLflow reads on that route: a misspelt one would be rewritten nowhere. */
    @Test
    void everyWhoFieldIsOneMlflowReads() {
        Map<String, Route> routes = routesByLine();
        Set<String> unknown = new TreeSet<>();
        for (Map.Entry<String, Route> entry : routes.entrySet()) {
            Route route = entry.getValue();
            if (route.path().toString().startsWith("/ajax-api/") && routes.containsKey(route.operation())) {
                continue; // the /api/ line's twin
            }
            for (Author author : route.authors()) {
                boolean read = authorFields.stream().map(line -> line.split(" ", 3))
                        .anyMatch(parts -> entry.getKey().equals(parts[0] + " " + parts[1]) && sameField(parts[2], author));
                if (!read) {
                    unknown.add(entry.getKey() + " WHO " + author.field().name());
                }
            }
        }
        assertThat(unknown).as("WHO fields that MLflow does not read on their route").isEmpty();
    }

    /**
     * Whether the script's field is the WHO entry's field, or within it (an assessment source's
     * source_id), or holds it (a dataset's records, JSON text that holds each record's tags).
     */
    private static boolean sameField(String listed, Author author) {
        String field = bare(listed.startsWith("body:") || listed.startsWith("query:") ? listed.substring(listed.indexOf(':') + 1) : listed);
        String who = bare(author.field().source() == RequestField.Source.OTLP ? "otlp:" + author.field().name() : author.field().name());
        return field.equals(who) || field.startsWith(who + ".") || who.startsWith(field + ".");
    }

    private static String bare(String field) {
        return field.replace("[]", "").replace("{}", "");
    }

    private static Map<String, Route> routesByLine() {
        Map<String, Route> routes = new HashMap<>();
        for (Route route : RouteTable.mlflow().routes()) {
            routes.put(route.method() + " " + route.path(), route);
        }
        return routes;
    }
}
