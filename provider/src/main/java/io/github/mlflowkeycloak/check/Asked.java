package io.github.mlflowkeycloak.check;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import io.github.mlflowkeycloak.graphql.GraphQlException;
import io.github.mlflowkeycloak.graphql.GraphQlFields;
import io.github.mlflowkeycloak.graphql.UnknownGraphQlFieldException;
import io.github.mlflowkeycloak.request.BadRequestException;
import io.github.mlflowkeycloak.request.JsonBody;
import io.github.mlflowkeycloak.request.MlflowRequest;
import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.Requirement;
import io.github.mlflowkeycloak.route.Route;

/**
 * A request to decide on, as read: what it needs, on which objects.
 *
 * @param ids       the ids it names, as MLflow reads them
 * @param references the values of the route's reference fields (other objects MLflow follows)
 * @param workspace the MLflow workspace it names, or null
 * @param required  the scopes it needs, each on the objects it names
 * @param graphQl   for a GraphQL request, what its query selects; else null
 */
record Asked(Route route, MlflowRequest request, Map<String, List<String>> ids,
        Map<String, List<String>> references, String workspace, List<Requirement> required, GraphQlFields.Analysis graphQl) {

    /** Each object is decided once, however often the request names it: every map of ids is made distinct here, once. */
    static Asked of(Route route, MlflowRequest request, Map<String, List<String>> ids, Map<String, List<String>> references,
            String workspace) throws BadRequestException, GraphQlException, UnknownGraphQlFieldException {
        Map<String, List<String>> distinctIds = distinct(ids);
        Map<String, List<String>> distinctReferences = distinct(references);
        Access access = route.access();
        if (access instanceof Access.GraphQl) {
            GraphQlFields.Analysis graphQl = GraphQlFields.analyse(JsonBody.parse(request.body()));
            List<Requirement> required = graphQl.requirements().stream()
                    .map(requirement -> new Requirement(requirement.access(), distinct(requirement.ids()))).toList();
            return new Asked(route, request, distinctIds, distinctReferences, workspace, required, graphQl);
        }
        List<Requirement> required = access instanceof Access.Scoped scoped ? List.of(new Requirement(scoped, distinctIds)) : List.of();
        return new Asked(route, request, distinctIds, distinctReferences, workspace, required, null);
    }

    private static Map<String, List<String>> distinct(Map<String, List<String>> fields) {
        Map<String, List<String>> distinct = new LinkedHashMap<>();
        fields.forEach((field, values) -> distinct.put(field, List.copyOf(new LinkedHashSet<>(values))));
        return distinct;
    }

    /** The objects the request names, as many lookups and evaluations as deciding it may cost. */
    int objectCount() {
        int count = 0;
        for (Requirement requirement : required) {
            for (List<String> values : requirement.ids().values()) {
                count += values.size();
            }
        }
        for (List<String> values : references.values()) {
            count += values.size();
        }
        return count;
    }
}
