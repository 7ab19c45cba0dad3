package io.github.mlflowkeycloak.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowkeycloak.request.BadRequestException;
import io.github.mlflowkeycloak.request.JsonBody;
import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.Requirement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GraphQlFieldsTest {

    private static final Access EXPERIMENT_READ = Access.parse("experiment:read");
    private static final Access MODEL_READ = Access.parse("registered-model:read");

    @Test
    void readsTheQueriesTheMlflowUiSends() throws Exception {
        String getRun = """
                query MlflowGetRunQuery($data: MlflowGetRunInput!) @component(name: "MLflow.ExperimentRunTracking") {
                  mlflowGetRun(input: $data) {
                    apiError { helpUrl code message }
                    run {
                      info { runName status runUuid experimentId artifactUri endTime lifecycleStage startTime userId }
                      experiment { experimentId name tags { key value } artifactLocation lifecycleStage lastUpdateTime }
                      modelVersions { status version name source }
                      data { metrics { key value step timestamp } params { key value } tags { key value } }
                    }
                  }
                }
                """;
        GraphQlFields.Analysis analysis = GraphQlFields.analyse(getRun, "MlflowGetRunQuery", json("{\"data\": {\"runId\": \"r1\"}}"));
        assertThat(analysis.requirements()).containsExactly(new Requirement((Access.Scoped) EXPERIMENT_READ, Map.of("run_id", List.of("r1"))));
        assertThat(analysis.modelVersions()).isTrue();
        assertThat(analysis.filterable()).isTrue();
        assertThat(scopes("{ mlflowSearchModelVersions(input: {filter: \"name='a'\"}) { modelVersions { name } } }", null))
                .containsExactly((Access.Scoped) MODEL_READ);
        assertThat(scopes("mutation S { mlflowSearchRuns(input: {experimentIds: [\"1\"]}) { runs { info { runUuid } } } }", null))
                .containsExactly((Access.Scoped) EXPERIMENT_READ);
    }

    @Test
    void readsTheObjectsFromLiteralsAndVariables() throws Exception {
        assertThat(GraphQlFields.analyse("query ($two: String) { mlflowSearchRuns(input: {experimentIds: [\"1\", $two]}) { runs { info { runUuid } } } }",
                null, json("{\"two\": \"2\"}")).requirements())
                .containsExactly(new Requirement((Access.Scoped) EXPERIMENT_READ, Map.of("experiment_ids", List.of("1", "2"))));
        assertThat(GraphQlFields.analyse("query Q($i: MlflowGetExperimentInput!) { mlflowGetExperiment(input: $i) { experiment { name } } }",
                "Q", json("{\"i\": {\"experimentId\": \"7\\u0031\"}}")).requirements())
                .containsExactly(new Requirement((Access.Scoped) EXPERIMENT_READ, Map.of("experiment_id", List.of("71"))));
        assertThat(GraphQlFields.analyse("{ mlflowGetRun(input: {runId: \"a\\\"b\\u0063\"}) { run { info { runUuid } } } }", null, null)
                .requirements().get(0).ids()).isEqualTo(Map.of("run_id", List.of("a\"bc")));
        // A variable that is not given names nothing: only a kind-wide grant allows it.
        assertThat(GraphQlFields.analyse("query Q($d: MlflowGetRunInput!) { mlflowGetRun(input: $d) { run { info { runUuid } } } }",
                "Q", null).requirements().get(0).ids()).isEmpty();
    }

    @Test
    void refusesIdsThatAreNotStrings() {
        assertThatThrownBy(() -> GraphQlFields.analyse("{ mlflowGetRun(input: {runId: {a: \"b\"}}) { run { info { runUuid } } } }",
                null, null)).isInstanceOf(GraphQlException.class);
        assertThatThrownBy(() -> ids("{ mlflowGetRun(input: {runId: 5}) { run { info { runUuid } } } }", null, null))
                .isInstanceOf(GraphQlException.class);
        assertThatThrownBy(() -> ids("{ mlflowGetRun(input: {runId: r1}) { run { info { runUuid } } } }", null, null))
                .isInstanceOf(GraphQlException.class);
        assertThatThrownBy(() -> ids("{ mlflowGetRun(input: {runId: true}) { run { info { runUuid } } } }", null, null))
                .isInstanceOf(GraphQlException.class);
        assertThatThrownBy(() -> ids("{ mlflowSearchRuns(input: {experimentIds: [\"1\", 2]}) { runs { info { runUuid } } } }", null, null))
                .isInstanceOf(GraphQlException.class);
        assertThatThrownBy(() -> ids("query ($r: String) { mlflowGetRun(input: {runId: $r}) { run { info { runUuid } } } }",
                null, "{\"r\": 5}")).isInstanceOf(GraphQlException.class);
        assertThatThrownBy(() -> ids("query ($i: MlflowGetRunInput) { mlflowGetRun(input: $i) { run { info { runUuid } } } }",
                null, "{\"i\": {\"runId\": {\"runId\": \"r1\"}}}")).isInstanceOf(GraphQlException.class);
        assertThatThrownBy(() -> GraphQlFields.analyse("{ mlflowGetRun(input: {runId: \"a\", runId: \"b\"}) { run { info { runUuid } } } }",
                null, null)).isInstanceOf(GraphQlException.class);
        assertThatThrownBy(() -> GraphQlFields.analyse("{ __typename }", null, json("[1]"))).isInstanceOf(GraphQlException.class);
    }

    /** Issue #10: a variable that is not given takes its default value, as MLflow's GraphQL executor gives it. */
    @Test
    void readsTheDefaultOfAVariableThatIsNotGiven() throws Exception {
        String query = """
                query Q($r: String = "alice-run") {
                  mlflowGetRun(input: {runId: $r, runUuid: "bob-run"}) { run { data { params { key value } } } }
                }
                """;
        assertThat(ids(query, "Q", null)).containsExactly(Map.of("run_id", List.of("alice-run"), "run_uuid", List.of("bob-run")));
        assertThat(ids(query, "Q", "{}")).containsExactly(Map.of("run_id", List.of("alice-run"), "run_uuid", List.of("bob-run")));
        assertThat(ids(query, "Q", "{\"r\": \"bob-2\"}")).containsExactly(Map.of("run_id", List.of("bob-2"), "run_uuid", List.of("bob-run")));
        // Given as null, the variable is null: its default does not apply.
        assertThat(ids(query, "Q", "{\"r\": null}")).containsExactly(Map.of("run_uuid", List.of("bob-run")));
        // A non-null variable may have a default too.
        assertThat(ids("query ($e: String! = \"alice-1\") { mlflowGetExperiment(input: {experimentId: $e}) { experiment { name } } }",
                null, null)).containsExactly(Map.of("experiment_id", List.of("alice-1")));
    }

    @Test
    void readsDefaultsOfListsAndInputObjects() throws Exception {
        assertThat(ids("query ($e: [String] = [\"alice-1\", \"alice-2\"]) { mlflowSearchRuns(input: {experimentIds: $e}) { runs { info { runUuid } } } }",
                null, null)).containsExactly(Map.of("experiment_ids", List.of("alice-1", "alice-2")));
        // A single value where a list is expected is a list of one, in a default as in a literal or a variable's value.
        assertThat(ids("query ($e: [String] = \"alice-1\") { mlflowSearchRuns(input: {experimentIds: $e}) { runs { info { runUuid } } } }",
                null, null)).containsExactly(Map.of("experiment_ids", List.of("alice-1")));
        assertThat(ids("{ mlflowSearchRuns(input: {experimentIds: \"alice-1\"}) { runs { info { runUuid } } } }", null, null))
                .containsExactly(Map.of("experiment_ids", List.of("alice-1")));
        assertThat(ids("query ($e: [String]) { mlflowSearchRuns(input: {experimentIds: $e}) { runs { info { runUuid } } } }",
                null, "{\"e\": \"alice-1\"}")).containsExactly(Map.of("experiment_ids", List.of("alice-1")));
        assertThat(ids("""
                query ($i: MlflowSearchRunsInput = {experimentIds: "alice-1", filter: "x"}) {
                  mlflowSearchRuns(input: $i) { runs { info { runUuid } } }
                }
                """, null, null)).containsExactly(Map.of("experiment_ids", List.of("alice-1")));
        assertThat(ids("query ($i: MlflowGetRunInput = {runId: \"alice-run\"}) { mlflowGetRun(input: $i) { run { info { runUuid } } } }",
                null, "{\"i\": {\"runUuid\": \"bob-run\"}}")).containsExactly(Map.of("run_uuid", List.of("bob-run")));
        // A default is a constant: it cannot name a variable.
        assertThatThrownBy(() -> ids("query ($a: String, $e: [String] = [$a]) { mlflowSearchRuns(input: {experimentIds: $e}) { runs { info { runUuid } } } }",
                null, null)).isInstanceOf(GraphQlException.class);
    }

    @Test
    void readsVariablesInsideListsAndInputObjects() throws Exception {
        String query = """
                query ($a: String = "alice-1", $b: String, $c: String) {
                  mlflowSearchRuns(input: {experimentIds: ["bob-1", $a, $b, $c]}) { runs { info { runUuid } } }
                  mlflowListArtifacts(input: {runId: $b, runUuid: $a}) { files { path } }
                }
                """;
        // $b is null, $c is not given: in a list both are null, which names nothing; in an input object both leave the field out.
        assertThat(ids(query, null, "{\"b\": null}")).containsExactly(
                Map.of("experiment_ids", List.of("bob-1", "alice-1")), Map.of("run_uuid", List.of("alice-1")));
        assertThat(ids(query, null, "{\"a\": \"bob-2\", \"c\": \"bob-3\"}")).containsExactly(
                Map.of("experiment_ids", List.of("bob-1", "bob-2", "bob-3")), Map.of("run_uuid", List.of("bob-2")));
        // An input without a value (not given, no default) names nothing: only a kind-wide grant allows the field.
        assertThat(ids("query ($i: MlflowGetRunInput) { mlflowGetRun(input: $i) { run { info { runUuid } } } }", null, "{}"))
                .containsExactly(Map.of());
    }

    @Test
    void readsTheVariablesOfTheOperationRunInItsFragments() throws Exception {
        String document = """
                query A($r: String = "alice-run") { ...Run }
                query B($r: String = "bob-run") { ... on Query { mlflowGetRun(input: {runId: $r}) { run { info { runUuid } } } } }
                fragment Run on Query { alias: mlflowGetRun(input: {runId: $r}) { run { info { runUuid } } } }
                """;
        assertThat(ids(document, "A", null)).containsExactly(Map.of("run_id", List.of("alice-run")));
        assertThat(ids(document, "B", null)).containsExactly(Map.of("run_id", List.of("bob-run")));
        assertThat(ids(document, "B", "{\"r\": \"bob-2\"}")).containsExactly(Map.of("run_id", List.of("bob-2")));
        // MLflow runs no operation for these: refused.
        assertThatThrownBy(() -> ids(document, null, null)).isInstanceOf(GraphQlException.class);
        assertThatThrownBy(() -> ids(document, "", null)).isInstanceOf(GraphQlException.class);
        assertThatThrownBy(() -> ids(document, "C", null)).isInstanceOf(GraphQlException.class);
        assertThatThrownBy(() -> ids("{ __typename }", "", null)).isInstanceOf(GraphQlException.class);
        // A variable the operation does not define, or defines twice, is refused, as MLflow refuses it.
        assertThatThrownBy(() -> ids("query A { ...Run } fragment Run on Query { mlflowGetRun(input: {runId: $r}) { run { info { runUuid } } } }",
                "A", "{\"r\": \"bob-run\"}")).isInstanceOf(GraphQlException.class);
        assertThatThrownBy(() -> ids("query ($r: String = \"a\", $r: String) { mlflowGetRun(input: {runId: $r}) { run { info { runUuid } } } }",
                null, null)).isInstanceOf(GraphQlException.class);
    }

    @Test
    void checksEveryFieldWhateverItsDirectivesAndAliases() throws Exception {
        // MLflow's schema knows no @skip or @include; a reader that honoured them could only check less.
        String query = """
                query ($skip: Boolean = true, $e: String = "alice-1") {
                  a: mlflowGetExperiment(input: {experimentId: $e}) @skip(if: $skip) { experiment { name } }
                  b: mlflowGetExperiment(input: {experimentId: "bob-1"}) @include(if: false) { experiment { name } }
                  ... @skip(if: true) { mlflowGetExperiment(input: {experimentId: "bob-2"}) { experiment { name } } }
                }
                """;
        assertThat(ids(query, null, null)).containsExactly(Map.of("experiment_id", List.of("alice-1")),
                Map.of("experiment_id", List.of("bob-1")), Map.of("experiment_id", List.of("bob-2")));
    }

    @Test
    void decodesStringsAsGraphQlDoes() throws Exception {
        String run = "{ mlflowGetRun(input: {runId: %s}) { run { info { runUuid } } } }";
        assertThat(ids(run.formatted("\"\\u0061\\u{62}\\u{00063}\\uD83D\\uDE00\\u{1F600}\\/\""), null, null))
                .containsExactly(Map.of("run_id", List.of("abc\uD83D\uDE00\uD83D\uDE00/")));
        assertThat(ids(run.formatted("\"\"\"\n    alice\n      run \\\"\"\"\n  \"\"\""), null, null))
                .containsExactly(Map.of("run_id", List.of("alice\n  run \"\"\"")));
        assertThat(ids(run.formatted("\"\"\"  alice\r\n\t\"\"\""), null, null)).containsExactly(Map.of("run_id", List.of("  alice")));
        for (String invalid : List.of("\"\\uD800\"", "\"\\uDC00\"", "\"\\u{D800}\"", "\"\\u{110000}\"", "\"\\u{}\"",
                "\"\\u{000000061}\"", "\"\\u00G1\"", "\"\\x\"", "\"\"\"a")) {
            assertThatThrownBy(() -> ids(run.formatted(invalid), null, null)).as(invalid).isInstanceOf(GraphQlException.class);
        }
    }

    @Test
    void lexesNumbersAsGraphQlDoes() throws Exception {
        String runs = "{ mlflowSearchRuns(input: {maxResults: %s, experimentIds: \"1\"}) { runs { info { runUuid } } } }";
        for (String number : List.of("0", "-0", "12", "1.5", "-1.5e3", "2E+10", "3e-2")) {
            assertThat(ids(runs.formatted(number), null, null)).as(number).containsExactly(Map.of("experiment_ids", List.of("1")));
        }
        for (String number : List.of("01", "1.", ".5", "1e", "5abc", "1.5.5", "-", "1_0")) {
            assertThatThrownBy(() -> ids(runs.formatted(number), null, null)).as(number).isInstanceOf(GraphQlException.class);
        }
    }

    @Test
    void readsTheRequestBodyAsMlflowDoesOrRefusesIt() throws Exception {
        String query = "query ($r: String = \\\"alice-run\\\") { mlflowGetRun(input: {runId: $r}) { run { info { runUuid } } } }";
        assertThat(GraphQlFields.analyse(JsonBody.parse(("{\"query\": \"" + query + "\", \"variables\": {}}").getBytes(StandardCharsets.UTF_8)))
                .requirements()).containsExactly(new Requirement((Access.Scoped) EXPERIMENT_READ, Map.of("run_id", List.of("alice-run"))));
        // Python keeps the last of duplicate keys: refused, so that nothing reads another value than the one checked.
        for (String body : List.of("{\"query\": \"" + query + "\", \"variables\": {\"r\": \"alice-run\", \"r\": \"bob-run\"}}",
                "{\"query\": \"{ __typename }\", \"query\": \"" + query + "\"}", "{\"query\": 5}", "{\"query\": \"" + query + "\", \"operationName\": 5}",
                "{\"variables\": {}}")) {
            assertThatThrownBy(() -> GraphQlFields.analyse(JsonBody.parse(body.getBytes(StandardCharsets.UTF_8)))).as(body)
                    .isInstanceOf(BadRequestException.class);
        }
    }

    @Test
    void modelVersionsCanBeFilteredOnlyWithoutAliasesAndWithTheirName() throws Exception {
        String run = "{ mlflowGetRun(input: {runId: \"r\"}) { run { %s } } }";
        assertThat(GraphQlFields.analyse(run.formatted("modelVersions { name version }"), null, null).filterable()).isTrue();
        assertThat(GraphQlFields.analyse(run.formatted("modelVersions { version }"), null, null).filterable()).isFalse();
        assertThat(GraphQlFields.analyse(run.formatted("mv: modelVersions { name }"), null, null).filterable()).isFalse();
        assertThat(GraphQlFields.analyse(run.formatted("modelVersions { name: source version }"), null, null).filterable()).isFalse();
        assertThat(GraphQlFields.analyse(run.formatted("modelVersions { name } info { id: runUuid }"), null, null).filterable()).isFalse();
        assertThat(GraphQlFields.analyse(run.formatted("info { runUuid }"), null, null).modelVersions()).isFalse();
    }

    @Test
    void needsNothingButSignInForIntrospection() throws Exception {
        assertThat(scopes("{ __schema { types { name } } }", null)).isEmpty();
        assertThat(scopes("{ __typename }", null)).isEmpty();
    }

    @Test
    void seesFieldsBehindAliasesFragmentsAndInlineFragments() throws Exception {
        String query = """
                query Q {
                  innocent: mlflowSearchModelVersions(input: {}) { modelVersions { name } }
                  ...Runs
                  ... on QueryType { other: mlflowGetExperiment(input: {experimentId: "1"}) { experiment { name } } }
                }
                fragment Runs on QueryType { mlflowGetRun(input: {runId: "x"}) { run { info { runUuid } } } }
                """;
        assertThat(scopes(query, "Q")).containsExactlyInAnyOrder((Access.Scoped) EXPERIMENT_READ, (Access.Scoped) MODEL_READ);
    }

    @Test
    void picksTheOperationTheServerWillRun() throws Exception {
        String document = """
                query A { __typename }
                query B { mlflowGetExperiment(input: {experimentId: "1"}) { experiment { name } } }
                """;
        assertThat(scopes(document, "A")).isEmpty();
        assertThat(scopes(document, "B")).containsExactly((Access.Scoped) EXPERIMENT_READ);
        assertThatThrownBy(() -> scopes(document, null)).isInstanceOf(GraphQlException.class);
        assertThatThrownBy(() -> scopes(document, "C")).isInstanceOf(GraphQlException.class);
    }

    @Test
    void ignoresFieldNamesInsideStringsArgumentsAndComments() throws Exception {
        String query = """
                # mlflowSearchModelVersions
                { mlflowGetExperiment(input: {experimentId: "{ mlflowSearchModelVersions }"}) {
                    experiment { name description: name } } }
                """;
        assertThat(scopes(query, null)).containsExactly((Access.Scoped) EXPERIMENT_READ);
    }

    @Test
    void refusesAnUnknownTopLevelField() {
        assertThatThrownBy(() -> scopes("{ mlflowDeleteEverything { ok } }", null))
                .isInstanceOf(UnknownGraphQlFieldException.class);
        assertThatThrownBy(() -> scopes("{ ...F } fragment F on QueryType { evil }", null))
                .isInstanceOf(UnknownGraphQlFieldException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{ }", "query", "{ a(b: ) ", "{ a(b: \"unterminated) }", "{ ...F }",
            "{ ...F } fragment F on Q { ...F }", "{ a } { b }", "query Q { a } query Q { b }", "{ a { } }",
            "{ a ] }", "{ a(b: [1, 2) }", "{ a \u0001 }", "{ . }", "fragment F on Q { a }", "{ a } query Q { b }",
            "query Q() { a }", "query Q($a) { a }", "query Q($a: ) { a }", "query Q($a: [String) { a }", "query Q(a: String) { a }"})
    void refusesWhatItCannotParse(String query) {
        assertThatThrownBy(() -> scopes(query, null)).isInstanceOf(GraphQlException.class);
    }

    @Test
    void refusesDeepNesting() {
        String deep = "{ a " + "{ b ".repeat(100) + "}".repeat(101);
        assertThatThrownBy(() -> scopes(deep, null)).isInstanceOf(GraphQlException.class);
    }

    /** The ids each scoped top-level field names, in order. */
    private static List<Map<String, List<String>>> ids(String query, String operationName, String variables) throws Exception {
        return GraphQlFields.analyse(query, operationName, variables == null ? null : json(variables)).requirements().stream()
                .map(Requirement::ids).toList();
    }

    private static Set<Access.Scoped> scopes(String query, String operationName) throws Exception {
        return GraphQlFields.analyse(query, operationName, null).requirements().stream()
                .map(Requirement::access).collect(Collectors.toSet());
    }

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }
}
