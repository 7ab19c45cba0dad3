package io.github.mlflowkeycloak.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mlflowkeycloak.route.Access;
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
        assertThat(GraphQlFields.requiredScopes(getRun, "MlflowGetRunQuery")).containsExactlyInAnyOrder(
                (Access.Scoped) EXPERIMENT_READ, (Access.Scoped) MODEL_READ);
        assertThat(GraphQlFields.requiredScopes("{ mlflowSearchModelVersions(input: {filter: \"name='a'\"}) { modelVersions { name } } }", null))
                .containsExactly((Access.Scoped) MODEL_READ);
        assertThat(GraphQlFields.requiredScopes("mutation S { mlflowSearchRuns(input: {experimentIds: [\"1\"]}) { runs { info { runUuid } } } }", null))
                .containsExactly((Access.Scoped) EXPERIMENT_READ);
    }

    @Test
    void needsNothingButSignInForIntrospection() throws Exception {
        assertThat(GraphQlFields.requiredScopes("{ __schema { types { name } } }", null)).isEmpty();
        assertThat(GraphQlFields.requiredScopes("{ __typename }", null)).isEmpty();
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
        assertThat(GraphQlFields.requiredScopes(query, "Q")).containsExactlyInAnyOrder(
                (Access.Scoped) EXPERIMENT_READ, (Access.Scoped) MODEL_READ);
    }

    @Test
    void picksTheOperationTheServerWillRun() throws Exception {
        String document = """
                query A { __typename }
                query B { mlflowGetExperiment(input: {experimentId: "1"}) { experiment { name } } }
                """;
        assertThat(GraphQlFields.requiredScopes(document, "A")).isEmpty();
        assertThat(GraphQlFields.requiredScopes(document, "B")).containsExactly((Access.Scoped) EXPERIMENT_READ);
        assertThatThrownBy(() -> GraphQlFields.requiredScopes(document, null)).isInstanceOf(GraphQlException.class);
        assertThatThrownBy(() -> GraphQlFields.requiredScopes(document, "C")).isInstanceOf(GraphQlException.class);
    }

    @Test
    void ignoresFieldNamesInsideStringsArgumentsAndComments() throws Exception {
        String query = """
                # mlflowSearchModelVersions
                { mlflowGetExperiment(input: {experimentId: "{ mlflowSearchModelVersions }"}) {
                    experiment { name description: name } } }
                """;
        assertThat(GraphQlFields.requiredScopes(query, null)).containsExactly((Access.Scoped) EXPERIMENT_READ);
    }

    @Test
    void refusesAnUnknownTopLevelField() {
        assertThatThrownBy(() -> GraphQlFields.requiredScopes("{ mlflowDeleteEverything { ok } }", null))
                .isInstanceOf(UnknownGraphQlFieldException.class);
        assertThatThrownBy(() -> GraphQlFields.requiredScopes("{ ...F } fragment F on QueryType { evil }", null))
                .isInstanceOf(UnknownGraphQlFieldException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{ }", "query", "{ a(b: ) ", "{ a(b: \"unterminated) }", "{ ...F }",
            "{ ...F } fragment F on Q { ...F }", "{ a } { b }", "query Q { a } query Q { b }", "{ a { } }",
            "{ a ] }", "{ a(b: [1, 2) }", "{ a \u0001 }", "{ . }", "fragment F on Q { a }"})
    void refusesWhatItCannotParse(String query) {
        assertThatThrownBy(() -> GraphQlFields.requiredScopes(query, null)).isInstanceOf(GraphQlException.class);
    }

    @Test
    void refusesDeepNesting() {
        String deep = "{ a " + "{ b ".repeat(100) + "}".repeat(101);
        assertThatThrownBy(() -> GraphQlFields.requiredScopes(deep, null)).isInstanceOf(GraphQlException.class);
    }
}
