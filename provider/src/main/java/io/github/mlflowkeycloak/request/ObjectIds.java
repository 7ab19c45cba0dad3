package io.github.mlflowkeycloak.request;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import io.github.mlflowkeycloak.route.RequestField;
import io.github.mlflowkeycloak.route.Route;

/**
 * Reads the ids a request names exactly where MLflow reads them, and refuses a request that
 * names an object in two places, or in two ways, that do not agree.
 *
 * <p>MLflow's rule for its protobuf endpoints: a GET whose query string has any key is read from
 * the query string (the first value of a key); every other request, HEAD included, from the JSON
 * body whatever its Content-Type. A GET with a body, a POST with ids in the query string, a field
 * in snake_case and camelCase, a key repeated with other values, or {@code run_id} and its legacy
 * alias {@code run_uuid} with other values: each could be read as another object by MLflow than
 * by a check, so each is a 400 when the two readings differ. A request that MLflow would parse
 * into its protobuf message only in part ({@link ProtoJson}) is a 400 as well, ids or not.
 */
public final class ObjectIds {

    private ObjectIds() {
    }

    /**
     * @param route the matched route
     * @param path  the decoded path the route matched, for the values of its variables
     * @return each id field the request gives, with its values (one, or several for {@code *_ids})
     */
    public static Map<String, List<String>> read(Route route, String path, MlflowRequest request)
            throws BadRequestException {
        ProtoMessage message = MlflowMessages.of(route);
        if (route.ids().isEmpty() && message == null) {
            return Map.of();
        }
        Map<String, String> pathVariables = null;
        QueryString query = QueryString.parse(request.rawQuery());
        boolean fromQuery = "GET".equals(request.method()) && !query.isEmpty();
        JsonBody body = null;
        if (message != null) {
            // Searches too, whose ids are not read here: a request MLflow parses only in part is never let through.
            if (fromQuery) {
                ProtoJson.validate(message, ProtoJson.queryObject(message, query));
            } else {
                body = JsonBody.parse(request.body());
                ProtoJson.validate(message, body.object());
            }
        }
        Map<String, List<String>> ids = new LinkedHashMap<>();
        for (RequestField field : route.ids()) {
            List<String> values;
            switch (field.source()) {
                case PATH -> {
                    pathVariables = pathVariables != null ? pathVariables : route.path().variables(path);
                    values = List.of(pathVariables.get(field.name()));
                }
                case QUERY -> values = agreeing(field, query.values(field.name()));
                case HEADER -> values = agreeing(field, request.headers().apply(field.name()));
                case BODY -> {
                    body = body != null ? body : JsonBody.parse(request.body());
                    values = agreeing(field, body.values(field.name()));
                }
                case REQUEST -> {
                    List<String> inQuery = agreeing(field, query.values(field.name()));
                    List<String> inBody = List.of();
                    if (!fromQuery || request.hasBody()) {
                        body = body != null ? body : JsonBody.parse(request.body());
                        inBody = agreeing(field, body.values(field.name()));
                    }
                    values = fromQuery ? inQuery : inBody;
                    List<String> other = fromQuery ? inBody : inQuery;
                    if (!other.isEmpty() && !other.equals(values)) {
                        throw new BadRequestException("The request gives '" + field.name()
                                + "' in the query string and in the body with other values; MLflow reads only the "
                                + (fromQuery ? "query string" : "body") + ".");
                    }
                }
                default -> throw new IllegalStateException(field.source().toString());
            }
            if (!values.isEmpty()) {
                ids.put(field.name(), values);
            }
        }
        requireSameRun(ids);
        return Collections.unmodifiableMap(ids);
    }

    /** Several values of a field that names one object must all be the same. */
    private static List<String> agreeing(RequestField field, List<String> values) throws BadRequestException {
        if (field.isRepeated() || values.size() <= 1) {
            return values;
        }
        if (new LinkedHashSet<>(values).size() > 1) {
            throw new BadRequestException("The request gives '" + field.name() + "' more than once with other values.");
        }
        return List.of(values.get(0));
    }

    /** {@code run_uuid} is MLflow's legacy name of {@code run_id}: MLflow prefers run_id when both are set. */
    private static void requireSameRun(Map<String, List<String>> ids) throws BadRequestException {
        List<String> runId = ids.get("run_id");
        List<String> runUuid = ids.get("run_uuid");
        if (runId != null && runUuid != null && !runId.equals(runUuid)
                && !runId.equals(List.of("")) && !runUuid.equals(List.of(""))) {
            throw new BadRequestException("The request gives 'run_id' and 'run_uuid' with other values.");
        }
    }
}
