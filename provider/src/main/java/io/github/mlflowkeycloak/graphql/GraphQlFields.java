package io.github.mlflowkeycloak.graphql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowkeycloak.request.BadRequestException;
import io.github.mlflowkeycloak.request.JsonBody;
import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.Requirement;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.Scope;

/**
 * What each field of MLflow's GraphQL schema (MLflow 3.17: QueryType and MutationType, with the
 * extensions the UI uses) asks of the caller, and which of its arguments name the objects it
 * reads, as the route table's IDS column names them. A request needs all that its fields ask;
 * a top-level field not listed here is refused.
 */
public final class GraphQlFields {

    private static final Access.Scoped EXPERIMENT_READ = new Access.Scoped(ResourceKind.EXPERIMENT, Scope.READ);
    private static final Access.Scoped MODEL_READ = new Access.Scoped(ResourceKind.REGISTERED_MODEL, Scope.READ);

    /** A top-level field: what it needs, and its arguments (under {@code input}) that name objects. */
    private record TopLevel(Access access, Map<String, String> ids) {
    }

    private static final Map<String, TopLevel> TOP_LEVEL = Map.ofEntries(
            Map.entry("mlflowGetExperiment", new TopLevel(EXPERIMENT_READ, Map.of("experimentId", "experiment_id"))),
            Map.entry("mlflowGetRun", new TopLevel(EXPERIMENT_READ, Map.of("runId", "run_id", "runUuid", "run_uuid"))),
            Map.entry("mlflowSearchRuns", new TopLevel(EXPERIMENT_READ, Map.of("experimentIds", "experiment_ids"))),
            Map.entry("mlflowListArtifacts", new TopLevel(EXPERIMENT_READ, Map.of("runId", "run_id", "runUuid", "run_uuid"))),
            Map.entry("mlflowGetMetricHistoryBulkInterval", new TopLevel(EXPERIMENT_READ, Map.of("runIds", "run_ids"))),
            Map.entry("mlflowSearchDatasets", new TopLevel(EXPERIMENT_READ, Map.of("experimentIds", "experiment_ids"))),
            Map.entry("mlflowSearchModelVersions", new TopLevel(MODEL_READ, Map.of())),
            // MLflow's echo fields, and GraphQL's own introspection.
            Map.entry("test", new TopLevel(Access.SIGNED_IN, Map.of())),
            Map.entry("testMutation", new TopLevel(Access.SIGNED_IN, Map.of())),
            Map.entry("__typename", new TopLevel(Access.SIGNED_IN, Map.of())),
            Map.entry("__schema", new TopLevel(Access.SIGNED_IN, Map.of())),
            Map.entry("__type", new TopLevel(Access.SIGNED_IN, Map.of())));

    /** The nested field that reaches objects of another kind: a run's registered model versions. */
    public static final String MODEL_VERSIONS = "modelVersions";

    /**
     * What a GraphQL request needs.
     *
     * @param requirements       the scopes its top-level fields need, with the objects they name
     * @param modelVersions      whether it selects the model versions of runs, which need read on
     *                           their registered models: on every one, or the answer is filtered
     * @param filterable         whether an answer can be filtered by model: no aliases anywhere,
     *                           and the name of each model version selected
     */
    public record Analysis(List<Requirement> requirements, boolean modelVersions, boolean filterable) {
    }

    private GraphQlFields() {
    }

    /**
     * What a GraphQL request needs: MLflow reads its query, operationName and variables from the
     * JSON body, for GET as for POST.
     *
     * @throws BadRequestException          the query is missing, or it or the operationName is not a string
     * @throws GraphQlException             as {@link #analyse(String, String, JsonNode)}
     * @throws UnknownGraphQlFieldException as {@link #analyse(String, String, JsonNode)}
     */
    public static Analysis analyse(JsonBody body) throws BadRequestException, GraphQlException, UnknownGraphQlFieldException {
        return analyse(text(body, "query", true), text(body, "operationName", false), body.field("variables"));
    }

    private static String text(JsonBody body, String field, boolean required) throws BadRequestException {
        JsonNode value = body.field(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new BadRequestException("The GraphQL request has no '" + field + "'.");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new BadRequestException("The GraphQL request's '" + field + "' must be a string.");
        }
        return value.textValue();
    }

    /**
     * @param variables the request's variables (an object), or null
     * @throws GraphQlException             the query cannot be parsed, its operation or a variable it uses is not defined, or an
     *                                      argument naming objects is not a string or list of strings
     * @throws UnknownGraphQlFieldException a top-level field is not one MLflow's UI uses
     */
    public static Analysis analyse(String query, String operationName, JsonNode variables)
            throws GraphQlException, UnknownGraphQlFieldException {
        List<Requirement> requirements = new ArrayList<>();
        Nested nested = new Nested();
        for (GraphQlDocument.SelectedField field : GraphQlDocument.selectedFields(query, operationName, variables)) {
            TopLevel topLevel = TOP_LEVEL.get(field.name());
            if (topLevel == null) {
                throw new UnknownGraphQlFieldException(field.name());
            }
            if (topLevel.access() instanceof Access.Scoped scoped) {
                requirements.add(new Requirement(scoped, ids(field, topLevel.ids())));
            }
            nested.inspect(List.of(field));
        }
        return new Analysis(List.copyOf(requirements), nested.modelVersions, nested.filterable);
    }

    /** What the selection below the top level holds that decides how an answer may be filtered. */
    private static final class Nested {
        private boolean modelVersions;
        private boolean filterable = true;

        void inspect(List<GraphQlDocument.SelectedField> selection) {
            for (GraphQlDocument.SelectedField field : selection) {
                if (field.alias() != null) {
                    filterable = false;
                }
                if (MODEL_VERSIONS.equals(field.name())) {
                    modelVersions = true;
                    if (field.selection().stream().noneMatch(child -> "name".equals(child.name()) && child.alias() == null)) {
                        filterable = false;
                    }
                }
                inspect(field.selection());
            }
        }
    }

    /**
     * The ids the field's {@code input} names, keyed as the route table names them: a string, or
     * the strings of a list (a single string is a list of one, as GraphQL coerces it; a null item
     * names nothing). Any other value is refused: MLflow's schema refuses it too.
     */
    private static Map<String, List<String>> ids(GraphQlDocument.SelectedField field, Map<String, String> names)
            throws GraphQlException {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        GraphQlValue input = field.arguments().get("input");
        if (input == null || input instanceof GraphQlValue.Null) {
            return ids;
        }
        if (!(input instanceof GraphQlValue.InputObject object)) {
            throw new GraphQlException("the input of " + field.name() + " must be an object");
        }
        for (Map.Entry<String, String> name : names.entrySet()) {
            GraphQlValue value = object.fields().get(name.getKey());
            List<String> values = new ArrayList<>();
            if (value == null || value instanceof GraphQlValue.Null) {
                continue;
            }
            if (value instanceof GraphQlValue.Text text) {
                values.add(text.text());
            } else if (value instanceof GraphQlValue.ListOf list) {
                for (GraphQlValue item : list.items()) {
                    if (item instanceof GraphQlValue.Text text) {
                        values.add(text.text());
                    } else if (!(item instanceof GraphQlValue.Null)) {
                        throw new GraphQlException(name.getKey() + " must be a list of strings");
                    }
                }
            } else {
                throw new GraphQlException(name.getKey() + " must be a string");
            }
            ids.put(name.getValue(), values);
        }
        return ids;
    }
}
