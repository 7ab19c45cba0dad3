package io.github.mlflowkeycloak.request;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A request body read as MLflow reads it ({@code request.get_json(force=True, silent=True)},
 * whatever the Content-Type): an empty body or {@code null} is an empty object, a JSON string is
 * JSON encoded twice (older clients) and is read again, NaN and Infinity are numbers. Stricter
 * than Python where Python would guess: a key given twice, a body that is not JSON, or one that is
 * not an object is refused, so that no reader can see other fields than the one checked.
 */
public final class JsonBody {

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonBody EMPTY = new JsonBody(MAPPER.createObjectNode());

    private final JsonNode object;

    private JsonBody(JsonNode object) {
        this.object = object;
    }

    public static JsonBody parse(byte[] body) throws BadRequestException {
        if (body == null || isBlank(body)) {
            return EMPTY;
        }
        JsonNode node = read(body);
        if (node.isTextual()) {
            node = read(node.textValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (node.isNull()) {
            return EMPTY;
        }
        if (!node.isObject()) {
            throw new BadRequestException("The request body must be a JSON object.");
        }
        return new JsonBody(node);
    }

    private static JsonNode read(byte[] json) throws BadRequestException {
        try (JsonParser parser = MAPPER.createParser(json)) {
            JsonNode node = MAPPER.readTree(parser);
            if (node == null) {
                throw new BadRequestException("The request body is not JSON.");
            }
            return node;
        } catch (IOException e) {
            throw new BadRequestException("The request body is not valid JSON (" + e.getClass().getSimpleName()
                    + "); a key may be given at most once.");
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Top-level fields, for the GraphQL request's {@code query} and {@code operationName}. */
    public JsonNode field(String name) {
        return object.get(name);
    }

    /**
     * The values of a field, spelled as MLflow's protobuf messages accept it: in snake_case or in
     * camelCase, not both. A string or number is one value, an array of them several, null or
     * absence none. A nested field is a dotted path ({@code trace.trace_info.experiment_id});
     * {@code name[]} in it stands for each object of an array ({@code locations[].experiment_id});
     * a last segment {@code name{}} stands for the keys of an object ({@code trace_info.tags{}}).
     */
    public List<String> values(String field) throws BadRequestException {
        List<String> values = new ArrayList<>(1);
        collect(object, field.split("\\."), 0, field, values);
        return values;
    }

    private static void collect(JsonNode node, String[] path, int index, String field, List<String> values)
            throws BadRequestException {
        String segment = path[index];
        boolean each = segment.endsWith("[]");
        boolean keys = segment.endsWith("{}");
        JsonNode value = member(node, each || keys ? segment.substring(0, segment.length() - 2) : segment);
        if (value == null || value.isNull()) {
            return;
        }
        if (keys) {
            requireObject(value, field);
            value.fieldNames().forEachRemaining(values::add);
            return;
        }
        if (index == path.length - 1) {
            if (value.isArray()) {
                for (JsonNode element : value) {
                    values.add(scalar(field, element));
                }
            } else {
                values.add(scalar(field, value));
            }
            return;
        }
        if (!each) {
            requireObject(value, field);
            collect(value, path, index + 1, field, values);
            return;
        }
        if (!value.isArray()) {
            throw new BadRequestException("'" + field + "' must be in a list of objects.");
        }
        for (JsonNode element : value) {
            requireObject(element, field);
            collect(element, path, index + 1, field, values);
        }
    }

    private static JsonNode member(JsonNode object, String name) throws BadRequestException {
        String camel = camelCase(name);
        JsonNode value = object.get(name);
        if (!camel.equals(name) && object.has(camel)) {
            if (value != null) {
                throw new BadRequestException("The request gives both '" + name + "' and '" + camel + "'; give only one.");
            }
            value = object.get(camel);
        }
        return value;
    }

    private static void requireObject(JsonNode value, String field) throws BadRequestException {
        if (!value.isObject()) {
            throw new BadRequestException("'" + field + "' must be in a JSON object.");
        }
    }

    private static String scalar(String field, JsonNode value) throws BadRequestException {
        if (value.isValueNode() && !value.isNull()) {
            return value.asText();
        }
        throw new BadRequestException("'" + field + "' must be a string.");
    }

    /** Protobuf's JSON name of a field: {@code experiment_ids} → {@code experimentIds}. */
    public static String camelCase(String snake) {
        StringBuilder camel = new StringBuilder(snake.length());
        boolean upper = false;
        for (int i = 0; i < snake.length(); i++) {
            char c = snake.charAt(i);
            if (c == '_') {
                upper = true;
            } else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return camel.toString();
    }
}
