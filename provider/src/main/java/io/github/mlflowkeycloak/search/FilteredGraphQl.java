package io.github.mlflowkeycloak.search;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.mlflowkeycloak.authorization.CallerPermissions;
import io.github.mlflowkeycloak.graphql.GraphQlFields;
import io.github.mlflowkeycloak.lookup.MlflowApi;
import io.github.mlflowkeycloak.lookup.MlflowUnavailableException;
import io.github.mlflowkeycloak.request.BadRequestException;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.Scope;

/**
 * A GraphQL request whose runs the caller may read, but not every registered model their model
 * versions belong to: the extension sends it to MLflow itself and removes the model versions of
 * models the caller may not read from the answer. Only for queries without aliases that select
 * each model version's name (see {@link GraphQlFields.Analysis#filterable()}), so that every
 * {@code modelVersions} in the answer is that field, and its {@code name} the model's.
 */
public final class FilteredGraphQl {

    private final MlflowApi mlflow;

    public FilteredGraphQl(MlflowApi mlflow) {
        this.mlflow = mlflow;
    }

    public JsonNode run(byte[] request, CallerPermissions permissions) throws BadRequestException, MlflowUnavailableException {
        JsonNode answer = mlflow.post("/graphql", request)
                .orElseThrow(() -> new BadRequestException("MLflow refused the GraphQL request."));
        keepReadable(answer, permissions);
        return answer;
    }

    private static void keepReadable(JsonNode node, CallerPermissions permissions) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (GraphQlFields.MODEL_VERSIONS.equals(field.getKey()) && field.getValue().isArray()) {
                    removeUnreadable((ArrayNode) field.getValue(), permissions);
                } else {
                    keepReadable(field.getValue(), permissions);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                keepReadable(element, permissions);
            }
        }
    }

    private static void removeUnreadable(ArrayNode versions, CallerPermissions permissions) {
        Iterator<JsonNode> iterator = versions.iterator();
        while (iterator.hasNext()) {
            JsonNode name = iterator.next().path("name");
            if (!name.isTextual() || !permissions.hasOn(ResourceKind.REGISTERED_MODEL, Scope.READ, name.textValue())) {
                iterator.remove();
            }
        }
    }
}
