package io.github.mlflowkeycloak.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowkeycloak.graphql.RandomGraphQlRequests.Feature;
import io.github.mlflowkeycloak.request.BadRequestException;
import io.github.mlflowkeycloak.request.JsonBody;
import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.Requirement;
import io.github.mlflowkeycloak.stack.VenvPython;
import org.junit.jupiter.api.Test;

/**
 * A differential test of GraphQL reading against MLflow's own GraphQL stack: thousands of random
 * requests (variables with and without defaults, given, null or absent; lists coerced from single
 * values; variables inside lists and input objects; fragments, aliases, directives; several
 * operations; escapes and block strings; values of the wrong type; duplicate keys), each read by
 * the gateway and run through graphql-core with MLflow's schema (graphql_arguments.py, whose
 * middleware records what each top-level resolver receives). For each request MLflow runs, the
 * scopes and ids the gateway checks must be those the resolvers receive, or the gateway refuses
 * the request. A request MLflow runs nothing of may be checked or refused, except one whose
 * operation MLflow cannot pick: the gateway must refuse it. Deterministic: a fixed seed, printed
 * with any failure.
 */
class GraphQlDifferentialIT {

    private static final long SEED = 20261201L;
    private static final int CASES = 6000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What MLflow's resolvers read, as the route table says: the gateway must ask the same. */
    private static final Map<String, Access.Scoped> READS = Map.of(
            "mlflowGetExperiment", experimentRead(),
            "mlflowGetRun", experimentRead(),
            "mlflowListArtifacts", experimentRead(),
            "mlflowGetMetricHistoryBulkInterval", experimentRead(),
            "mlflowSearchRuns", experimentRead(),
            "mlflowSearchDatasets", experimentRead(),
            "mlflowSearchModelVersions", (Access.Scoped) Access.parse("registered-model:read"));

    /** The tricks of requests that MLflow runs; @skip, @include and ids of another kind fail its validation. */
    private static final Set<Feature> RUN_WITH = EnumSet.complementOf(EnumSet.of(Feature.SKIP_OR_INCLUDE, Feature.LITERAL_OF_OTHER_KIND));

    /** A scope checked, with the ids it is checked on (empty sets left out: they name nothing). */
    private record Checked(Access.Scoped access, Map<String, Set<String>> ids) {
    }

    /** What the gateway makes of a request: the scopes it checks, or why it refuses it. */
    private record Reading(Set<Checked> checked, String refusal) {
    }

    @Test
    void theIdsCheckedAreTheIdsMlflowsResolversReceive() throws Exception {
        RandomGraphQlRequests generator = new RandomGraphQlRequests(new Random(SEED));
        List<RandomGraphQlRequests.Request> requests = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            requests.add(generator.next());
        }
        List<String> answers = VenvPython.run("graphql_arguments.py", requests.stream().map(RandomGraphQlRequests.Request::body).toList());
        assertThat(answers).hasSize(CASES);

        Tally tally = new Tally();
        for (int i = 0; i < CASES; i++) {
            RandomGraphQlRequests.Request request = requests.get(i);
            String context = "seed " + SEED + ", case " + i + ": " + request.body() + "\nMLflow: " + answers.get(i);
            tally.add(context, request, read(request.body()), JSON.readTree(answers.get(i)));
        }
        tally.print();
        assertThat(tally.mismatches.size()).as("requests checked on other ids than MLflow's resolvers receive; the first:%n%s",
                first(tally.mismatches)).isZero();
        assertThat(tally.unpickable.size()).as("requests checked though MLflow cannot pick their operation; the first:%n%s",
                first(tally.unpickable)).isZero();
        // The generator must reach the interesting part: many requests MLflow runs, with each trick.
        assertThat(tally.compared).as("requests compared").isGreaterThan(CASES / 3);
        for (Feature feature : RUN_WITH) {
            assertThat(tally.featuresRun.getOrDefault(feature, 0)).as("requests MLflow runs with " + feature).isGreaterThan(CASES / 200);
        }
    }

    /** The gateway's reading, as CheckResource reads a GraphQL request. */
    private static Reading read(String body) {
        try {
            return new Reading(checked(GraphQlFields.analyse(JsonBody.parse(body.getBytes(StandardCharsets.UTF_8))).requirements()), null);
        } catch (BadRequestException | GraphQlException | UnknownGraphQlFieldException e) {
            return new Reading(null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The requests compared, with what MLflow and the gateway made of the others. */
    private static final class Tally {
        private final Map<String, Integer> mlflowErrors = new TreeMap<>();
        private final Map<String, Integer> checkedThoughMlflowErrs = new TreeMap<>();
        private final Map<String, Integer> refusedThoughMlflowRuns = new TreeMap<>();
        private final Map<Feature, Integer> featuresRun = new EnumMap<>(Feature.class);
        private final List<String> mismatches = new ArrayList<>();
        private final List<String> unpickable = new ArrayList<>();
        private int compared;

        void add(String context, RandomGraphQlRequests.Request request, Reading ours, JsonNode mlflow) {
            if (mlflow.has("error")) {
                String stage = mlflow.get("error").textValue().substring(0, mlflow.get("error").textValue().indexOf(':'));
                mlflowErrors.merge(stage, 1, Integer::sum);
                if (ours.refusal() == null && stage.equals("operation")) {
                    unpickable.add(context + "\nchecked: " + ours.checked());
                } else if (ours.refusal() == null) {
                    checkedThoughMlflowErrs.merge(stage, 1, Integer::sum);
                }
                return;
            }
            request.features().forEach(feature -> featuresRun.merge(feature, 1, Integer::sum));
            if (ours.refusal() != null) {
                // Counted by reason, with the ids and names that vary taken out.
                refusedThoughMlflowRuns.merge(ours.refusal().replaceAll("\\b(alice|bob|[slib]|F|Q)\\d+", "$1N"), 1, Integer::sum);
                return;
            }
            compared++;
            Set<Checked> expected = expected(mlflow.get("executed"));
            if (!ours.checked().equals(expected)) {
                mismatches.add(context + "\nchecked:  " + ours.checked() + "\nexpected: " + expected);
            }
        }

        void print() {
            System.out.printf("GraphQlDifferentialIT: %d requests; MLflow runs %d (%d compared, %d of them checked on other ids)"
                            + " and refuses %s%n  checked by the gateway though MLflow runs nothing: %s;"
                            + " with no operation MLflow can pick: %d%n  refused by the gateway though MLflow runs them: %s%n"
                            + "  features of the requests MLflow runs: %s%n",
                    CASES, CASES - mlflowErrors.values().stream().mapToInt(Integer::intValue).sum(), compared, mismatches.size(),
                    mlflowErrors, checkedThoughMlflowErrs, unpickable.size(), refusedThoughMlflowRuns, featuresRun);
        }
    }

    private static String first(List<String> failures) {
        return String.join("\n\n", failures.subList(0, Math.min(3, failures.size())));
    }

    private static Set<Checked> checked(List<Requirement> requirements) {
        Set<Checked> checked = new HashSet<>();
        for (Requirement requirement : requirements) {
            Map<String, Set<String>> ids = new TreeMap<>();
            requirement.ids().forEach((key, values) -> {
                if (!values.isEmpty()) {
                    ids.put(key, new TreeSet<>(values));
                }
            });
            checked.add(new Checked(requirement.access(), ids));
        }
        return checked;
    }

    /** What graphql_arguments.py says the executed resolvers received, as the gateway should check it. */
    private static Set<Checked> expected(JsonNode executed) {
        Set<Checked> expected = new HashSet<>();
        for (JsonNode field : executed) {
            Map<String, Set<String>> ids = new TreeMap<>();
            field.get(1).properties().forEach(received -> {
                Set<String> values = new TreeSet<>();
                JsonNode value = received.getValue();
                if (value.isTextual()) {
                    values.add(value.textValue());
                }
                for (JsonNode item : value.isArray() ? value : JSON.createArrayNode()) {
                    if (!item.isNull()) {
                        values.add(item.textValue());
                    }
                }
                if (!values.isEmpty()) {
                    ids.put(received.getKey(), values);
                }
            });
            expected.add(new Checked(READS.get(field.get(0).textValue()), ids));
        }
        return expected;
    }

    private static Access.Scoped experimentRead() {
        return (Access.Scoped) Access.parse("experiment:read");
    }
}
