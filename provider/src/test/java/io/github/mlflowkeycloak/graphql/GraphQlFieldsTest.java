package io.github.mlflowkeycloak.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        assertThat(GraphQlFields.analyse("{ mlflowSearchRuns(input: {experimentIds: [\"1\", $two]}) { runs { info { runUuid } } } }",
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
        assertThatThrownBy(() -> GraphQlFields.analyse("{ mlflowGetRun(input: {runId: \"\"\"r1\"\"\"}) { run { info { runUuid } } } }",
                null, null)).isInstanceOf(GraphQlException.class);
        assertThatThrownBy(() -> GraphQlFields.analyse("{ mlflowGetRun(input: {runId: \"a\", runId: \"b\"}) { run { info { runUuid } } } }",
                null, null)).isInstanceOf(GraphQlException.class);
        assertThatThrownBy(() -> GraphQlFields.analyse("{ __typename }", null, json("[1]"))).isInstanceOf(GraphQlException.class);
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
            "{ a ] }", "{ a(b: [1, 2) }", "{ a \u0001 }", "{ . }", "fragment F on Q { a }"})
    void refusesWhatItCannotParse(String query) {
        assertThatThrownBy(() -> scopes(query, null)).isInstanceOf(GraphQlException.class);
    }

    @Test
    void refusesDeepNesting() {
        String deep = "{ a " + "{ b ".repeat(100) + "}".repeat(101);
        assertThatThrownBy(() -> scopes(deep, null)).isInstanceOf(GraphQlException.class);
    }

    private static Set<Access.Scoped> scopes(String query, String operationName) throws Exception {
        return GraphQlFields.analyse(query, operationName, null).requirements().stream()
                .map(Requirement::access).collect(Collectors.toSet());
    }

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }
}
