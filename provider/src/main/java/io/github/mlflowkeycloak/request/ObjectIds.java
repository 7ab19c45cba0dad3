package io.github.mlflowkeycloak.request;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import io.github.mlflowkeycloak.route.Author;
import io.github.mlflowkeycloak.route.Reference;
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

    /** The original request's body headers, which the gate passes on since it posts the body as octet-stream. */
    public static final String ORIGINAL_CONTENT_TYPE = "x-original-content-type";
    public static final String ORIGINAL_CONTENT_ENCODING = "x-original-content-encoding";

    private ObjectIds() {
    }

    /**
     * The ids of the objects a request acts on, the values of the other objects it names (REFS), and
     * the keys of the tags it sets or deletes on an existing object (WHO's {@code key@…}), by field
     * name; and the body, when it was read (else null), so that nothing reads it twice.
     */
    public record Named(Map<String, List<String>> ids, Map<String, List<String>> references, Map<String, List<String>> tagKeys,
            JsonBody body) {
    }

    /**
     * @param route the matched route
     * @param path  the decoded path the route matched, for the values of its variables
     * @return each id field the request gives, with its values (one, or several for {@code *_ids})
     */
    public static Map<String, List<String>> read(Route route, String path, MlflowRequest request)
            throws BadRequestException {
        return readAll(route, path, request).ids();
    }

    /**
     * The ids, and the values of the route's REFS fields and of the tag keys it names (WHO), read in one pass where MLflow reads
     * them; the body is parsed once, and validated against the route's protobuf message first.
     */
    public static Named readAll(Route route, String path, MlflowRequest request) throws BadRequestException {
        return readAll(route, path, request, MlflowMessages.newest());
    }

    /** {@link #readAll(Route, String, MlflowRequest)}, with the request messages of the MLflow release behind the gateway. */
    public static Named readAll(Route route, String path, MlflowRequest request, MlflowMessages messages) throws BadRequestException {
        ProtoMessage message = messages.message(route);
        if (route.ids().isEmpty() && route.references().isEmpty() && route.authors().isEmpty() && message == null) {
            return new Named(Map.of(), Map.of(), Map.of(), null);
        }
        Sources sources = new Sources(route, path, request);
        if (message != null) {
            // Searches too, whose ids are not read here: a request MLflow parses only in part is never let through.
            if (sources.fromQuery) {
                ProtoJson.validate(message, ProtoJson.queryObject(message, sources.query));
            } else {
                ProtoJson.validate(message, sources.body().object());
            }
        }
        Map<String, List<String>> ids = sources.read(route.ids());
        requireSameRun(ids);
        return new Named(ids, sources.read(route.references().stream().map(Reference::field).toList()),
                sources.read(route.authors().stream().filter(author -> author.form() == Author.Form.TAG_KEY).map(Author::field).toList()),
                sources.body);
    }

    /** Where a request's fields are, each parsed at most once. */
    private static final class Sources {

        private final Route route;
        private final String path;
        private final MlflowRequest request;
        private final QueryString query;
        private final boolean fromQuery;
        private Map<String, String> pathVariables;
        private JsonBody body;
        private OtlpTraceIds.Export otlp;

        Sources(Route route, String path, MlflowRequest request) throws BadRequestException {
            this.route = route;
            this.path = path;
            this.request = request;
            this.query = QueryString.parse(request.rawQuery());
            this.fromQuery = "GET".equals(request.method()) && !query.isEmpty();
        }

        JsonBody body() throws BadRequestException {
            if (body == null) {
                body = JsonBody.parse(request.body());
            }
            return body;
        }

        Map<String, List<String>> read(List<RequestField> fields) throws BadRequestException {
            Map<String, List<String>> values = new LinkedHashMap<>();
            for (RequestField field : fields) {
                List<String> read = read(field);
                if (!read.isEmpty()) {
                    values.put(field.name(), read);
                }
            }
            return Collections.unmodifiableMap(values);
        }

        private List<String> read(RequestField field) throws BadRequestException {
            switch (field.source()) {
                case PATH -> {
                    pathVariables = pathVariables != null ? pathVariables : route.path().variables(path);
                    return List.of(pathVariables.get(field.name()));
                }
                case QUERY -> {
                    return agreeing(field, query.values(field.name()));
                }
                case HEADER -> {
                    return agreeing(field, request.headers().apply(field.name()));
                }
                case OTLP -> {
                    if (otlp == null) {
                        otlp = OtlpTraceIds.readExport(request.body(), first(request.headers().apply(ORIGINAL_CONTENT_TYPE)),
                                first(request.headers().apply(ORIGINAL_CONTENT_ENCODING)));
                    }
                    return List.copyOf(field.name().equals("trace_tags") ? otlp.traceTagKeys() : otlp.traceIds());
                }
                case BODY -> {
                    return agreeing(field, body().values(field.name()));
                }
                case REQUEST -> {
                    List<String> inQuery = agreeing(field, query.values(field.name()));
                    List<String> inBody = !fromQuery || request.hasBody() ? agreeing(field, body().values(field.name())) : List.of();
                    List<String> values = fromQuery ? inQuery : inBody;
                    List<String> other = fromQuery ? inBody : inQuery;
                    if (!other.isEmpty() && !other.equals(values)) {
                        throw new BadRequestException("The request gives '" + field.name()
                                + "' in the query string and in the body with other values; MLflow reads only the "
                                + (fromQuery ? "query string" : "body") + ".");
                    }
                    return values;
                }
                default -> throw new IllegalStateException(field.source().toString());
            }
        }
    }

    private static String first(List<String> values) {
        return values.isEmpty() ? null : values.get(0);
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
