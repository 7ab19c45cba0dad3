package io.github.mlflowkeycloak.request;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request body read as MLflow reads it ({@code request.get_json(force=True, silent=True)},
 * whatever the Content-Type): an empty body or {@code null} is an empty object, a JSON string is
 * JSON encoded twice (older clients) and is read again, NaN and Infinity are numbers. Stricter
 * than Python where Python would guess: a key given twice, a body that is not JSON, or one that is
 * not an object is refused, so that no reader can see other fields than the one checked.
 *
 * <p>Where Python's {@code json} fails and Jackson would not, Flask's silent reading gives MLflow
 * an empty request while the gateway would read ids: so what Python refuses is refused here too
 * (bytes that are not UTF-8, Jackson's {@code +INF} and {@code -INF}, numbers longer than
 * Python converts), as is JSON nested deeper than {@value #MAX_DEPTH} levels (Python's parser
 * fails with a 500 somewhere below 1000).
 */
public final class JsonBody {

    private static final int MAX_DEPTH = 64;
    /** Python's {@code json} reads these literals, and no others, as non-finite numbers. */
    private static final Set<String> NON_FINITE = Set.of("NaN", "Infinity", "-Infinity");
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // Python converts integers of up to 4300 digits; a longer one would make MLflow read no body at all.
            .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(1000).build())
            // Written back as Python reads them: NaN and Infinity as the bare literals, not as strings.
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonBody EMPTY = new JsonBody(NODES.objectNode());

    private final ObjectNode object;

    private JsonBody(ObjectNode object) {
        this.object = object;
    }

    public static JsonBody parse(byte[] body) throws BadRequestException {
        if (body == null || isBlank(body)) {
            return EMPTY;
        }
        JsonNode node = read(utf8(body));
        if (node.isTextual()) {
            node = read(node.textValue());
        }
        if (node.isNull()) {
            return EMPTY;
        }
        if (!node.isObject()) {
            throw new BadRequestException("The request body must be a JSON object.");
        }
        return new JsonBody((ObjectNode) node);
    }

    /**
     * The body as Python decodes bytes without a UTF-16 or UTF-32 mark: UTF-8, after one UTF-8 byte
     * order mark. Python's decoder lets encoded surrogates through; they are refused here.
     */
    private static String utf8(byte[] body) throws BadRequestException {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new BadRequestException("The request body is not UTF-8.");
        }
    }

    private static JsonNode read(String json) throws BadRequestException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new BadRequestException("The request body is not JSON.");
            }
            JsonNode node = value(parser, first, 0);
            if (parser.nextToken() != null) {
                throw new BadRequestException("The request body has more than one JSON value.");
            }
            return node;
        } catch (IOException e) {
            throw new BadRequestException("The request body is not valid JSON (" + e.getClass().getSimpleName()
                    + "); a key may be given at most once.");
        }
    }

    /** The JSON value that starts at the token, as a tree, with its depth counted as it is read. */
    private static JsonNode value(JsonParser parser, JsonToken token, int depth) throws IOException, BadRequestException {
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                requireDepth(depth + 1);
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    object.set(name, value(parser, parser.nextToken(), depth + 1));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                requireDepth(depth + 1);
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    array.add(value(parser, next, depth + 1));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                if (parser.isNaN() && !NON_FINITE.contains(parser.getText())) {
                    throw new BadRequestException("The request body has the number " + parser.getText()
                            + "; write NaN, Infinity or -Infinity.");
                }
                return NODES.numberNode(parser.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new BadRequestException("The request body is not valid JSON.");
        }
    }

    private static void requireDepth(int depth) throws BadRequestException {
        if (depth > MAX_DEPTH) {
            throw new BadRequestException("The request body is nested deeper than " + MAX_DEPTH + " levels.");
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

    /** The body's object, for {@link ProtoJson}, and to read only. */
    public ObjectNode object() {
        return object;
    }

    /** A copy of the body's object, to change and forward ({@link #write}). */
    public ObjectNode copy() {
        return object.deepCopy();
    }

    /**
     * A JSON value held in a string field, which MLflow reads with {@code json.loads} (an evaluation
     * dataset's tags and records), read with this class's rules.
     */
    public static JsonNode parseText(String json) throws BadRequestException {
        return read(json);
    }

    /**
     * JSON that Python's {@code json} reads as the same values: numbers as read (integers exact,
     * doubles to the same double, NaN and Infinity bare), strings in UTF-8 but for surrogates.
     */
    public static byte[] write(JsonNode value) throws BadRequestException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            // Surrogates as JSON escapes, which Python reads as it reads them: a lone one, which UTF-8 cannot hold, stays what it was.
            generator.setHighestNonEscapedChar(Character.MIN_SURROGATE - 1);
            writeValue(generator, value);
        } catch (IOException e) {
            throw new BadRequestException("The request body cannot be written back as JSON.");
        }
        return out.toByteArray();
    }

    private static void writeValue(JsonGenerator generator, JsonNode value) throws IOException {
        switch (value.getNodeType()) {
            case OBJECT -> {
                generator.writeStartObject();
                for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext();) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    generator.writeFieldName(field.getKey());
                    writeValue(generator, field.getValue());
                }
                generator.writeEndObject();
            }
            case ARRAY -> {
                generator.writeStartArray();
                for (JsonNode element : value) {
                    writeValue(generator, element);
                }
                generator.writeEndArray();
            }
            case STRING -> generator.writeString(value.textValue());
            case NUMBER -> {
                if (value.isIntegralNumber()) {
                    generator.writeNumber(value.bigIntegerValue());
                } else {
                    generator.writeNumber(value.doubleValue());
                }
            }
            case BOOLEAN -> generator.writeBoolean(value.booleanValue());
            default -> generator.writeNull();
        }
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
