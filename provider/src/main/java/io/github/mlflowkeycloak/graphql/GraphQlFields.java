package io.github.mlflowkeycloak.graphql;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.Scope;

/**
 * What each field of MLflow's GraphQL schema (MLflow 3.17: QueryType and MutationType, with the
 * extensions the UI uses) asks of the caller. A request needs all that its fields ask; a
 * top-level field not listed here is refused.
 */
public final class GraphQlFields {

    private static final Access.Scoped EXPERIMENT_READ = new Access.Scoped(ResourceKind.EXPERIMENT, Scope.READ);
    private static final Access.Scoped MODEL_READ = new Access.Scoped(ResourceKind.REGISTERED_MODEL, Scope.READ);

    /** Top-level fields of Query and Mutation. */
    private static final Map<String, Access> TOP_LEVEL = Map.ofEntries(
            Map.entry("mlflowGetExperiment", EXPERIMENT_READ),
            Map.entry("mlflowGetRun", EXPERIMENT_READ),
            Map.entry("mlflowSearchRuns", EXPERIMENT_READ),
            Map.entry("mlflowListArtifacts", EXPERIMENT_READ),
            Map.entry("mlflowGetMetricHistoryBulkInterval", EXPERIMENT_READ),
            Map.entry("mlflowSearchDatasets", EXPERIMENT_READ),
            Map.entry("mlflowSearchModelVersions", MODEL_READ),
            // MLflow's echo fields, and GraphQL's own introspection.
            Map.entry("test", Access.SIGNED_IN),
            Map.entry("testMutation", Access.SIGNED_IN),
            Map.entry("__typename", Access.SIGNED_IN),
            Map.entry("__schema", Access.SIGNED_IN),
            Map.entry("__type", Access.SIGNED_IN));

    /** Nested fields that reach objects of another kind (a run's registered model versions). */
    private static final Map<String, Access.Scoped> NESTED = Map.of("modelVersions", MODEL_READ);

    private GraphQlFields() {
    }

    /**
     * @return the scopes the query needs, all of which must be granted (empty: signed-in is enough)
     * @throws GraphQlException          the query cannot be parsed
     * @throws UnknownGraphQlFieldException a top-level field is not one MLflow's UI uses
     */
    public static Set<Access.Scoped> requiredScopes(String query, String operationName)
            throws GraphQlException, UnknownGraphQlFieldException {
        Set<Access.Scoped> required = new LinkedHashSet<>();
        for (GraphQlDocument.SelectedField field : GraphQlDocument.selectedFields(query, operationName)) {
            if (field.topLevel()) {
                Access access = TOP_LEVEL.get(field.name());
                if (access == null) {
                    throw new UnknownGraphQlFieldException(field.name());
                }
                if (access instanceof Access.Scoped scoped) {
                    required.add(scoped);
                }
            } else if (NESTED.containsKey(field.name())) {
                required.add(NESTED.get(field.name()));
            }
        }
        return required;
    }
}
