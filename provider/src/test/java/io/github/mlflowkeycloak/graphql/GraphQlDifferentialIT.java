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
 * middleware records what each top-level resolver receives). For each request MLflow would run,
 * the scopes and ids the gateway checks must be those the resolvers receive, or the gateway
 * refuses the request; a request MLflow runs none of may be checked or refused, except that one
 * whose operation MLflow cannot pick must be refused. Deterministic: a fixed seed, printed with
 * any failure.
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

    /** The tricks that valid requests use, which MLflow runs; the others (@skip, a literal of another kind) fail validation. */
    private static final Set<RandomGraphQlRequests.Feature> RUN_WITH = EnumSet.of(RandomGraphQlRequests.Feature.DEFAULT,
            RandomGraphQlRequests.Feature.NULL_VARIABLE, RandomGraphQlRequests.Feature.ABSENT_VARIABLE,
            RandomGraphQlRequests.Feature.LIST_COERCION, RandomGraphQlRequests.Feature.VARIABLE_IN_LIST,
            RandomGraphQlRequests.Feature.VARIABLE_IN_OBJECT, RandomGraphQlRequests.Feature.INPUT_VARIABLE,
            RandomGraphQlRequests.Feature.INPUT_DEFAULT, RandomGraphQlRequests.Feature.FRAGMENT,
            RandomGraphQlRequests.Feature.INLINE_FRAGMENT, RandomGraphQlRequests.Feature.ALIAS,
            RandomGraphQlRequests.Feature.SEVERAL_OPERATIONS, RandomGraphQlRequests.Feature.ESCAPE,
            RandomGraphQlRequests.Feature.BLOCK_STRING, RandomGraphQlRequests.Feature.DUPLICATE_KEY);

    /** A scope checked, with the ids it is checked on (empty sets left out: they name nothing). */
    private record Checked(Access.Scoped access, Map<String, Set<String>> ids) {
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

        Map<String, Integer> mlflowErrors = new TreeMap<>();
        Map<String, Integer> checkedThoughMlflowErrs = new TreeMap<>();
        Map<String, Integer> refusedThoughMlflowRuns = new TreeMap<>();
        Map<RandomGraphQlRequests.Feature, Integer> featuresRun = new EnumMap<>(RandomGraphQlRequests.Feature.class);
        List<String> mismatches = new ArrayList<>();
        List<String> unpickable = new ArrayList<>();
        int compared = 0;
        for (int i = 0; i < CASES; i++) {
            String body = requests.get(i).body();
            String context = "seed " + SEED + ", case " + i + ": " + body + "\nMLflow: " + answers.get(i);
            JsonNode mlflow = JSON.readTree(answers.get(i));
            Set<Checked> ours;
            String refusal = null;
            try {
                ours = checked(GraphQlFields.analyse(JsonBody.parse(body.getBytes(StandardCharsets.UTF_8))).requirements());
            } catch (BadRequestException | GraphQlException | UnknownGraphQlFieldException e) {
                ours = null;
                refusal = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (mlflow.has("error")) {
                String stage = mlflow.get("error").textValue().substring(0, mlflow.get("error").textValue().indexOf(':'));
                mlflowErrors.merge(stage, 1, Integer::sum);
                if (refusal == null && stage.equals("operation")) {
                    unpickable.add(context + "\nchecked, though MLflow cannot pick the operation: " + ours);
                } else if (refusal == null) {
                    checkedThoughMlflowErrs.merge(stage, 1, Integer::sum);
                }
                continue;
            }
            requests.get(i).features().forEach(feature -> featuresRun.merge(feature, 1, Integer::sum));
            if (refusal != null) {
                refusedThoughMlflowRuns.merge(refusal.replaceAll("\\b(alice|bob|v|F|Q)\\d+", "$1N"), 1, Integer::sum);
                continue;
            }
            compared++;
            Set<Checked> expected = expected(mlflow.get("executed"));
            if (!ours.equals(expected)) {
                mismatches.add(context + "\nchecked:  " + ours + "\nexpected: " + expected);
            }
        }
        System.out.printf("GraphQlDifferentialIT: %d requests; MLflow runs %d (%d compared, %d of them checked on other ids) and refuses %s%n"
                        + "  checked by the gateway though MLflow runs nothing: %s; with no operation MLflow can pick: %d%n"
                        + "  refused by the gateway though MLflow runs them: %s%n  features of the requests MLflow ran: %s%n",
                CASES, CASES - mlflowErrors.values().stream().mapToInt(Integer::intValue).sum(), compared, mismatches.size(),
                mlflowErrors, checkedThoughMlflowErrs, unpickable.size(), refusedThoughMlflowRuns, featuresRun);
        assertThat(mismatches.size()).as("requests checked on other ids than MLflow's resolvers receive; the first:%n%s",
                String.join("\n\n", mismatches.subList(0, Math.min(3, mismatches.size())))).isZero();
        assertThat(unpickable.size()).as("requests checked though MLflow cannot pick their operation; the first:%n%s",
                String.join("\n\n", unpickable.subList(0, Math.min(3, unpickable.size())))).isZero();
        // The generator must reach the interesting part: many requests MLflow runs, with each trick.
        assertThat(compared).as("requests compared").isGreaterThan(CASES / 3);
        for (RandomGraphQlRequests.Feature feature : RUN_WITH) {
            assertThat(featuresRun.getOrDefault(feature, 0)).as("requests MLflow ran with " + feature).isGreaterThan(CASES / 200);
        }
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
