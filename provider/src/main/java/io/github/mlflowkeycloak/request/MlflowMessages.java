package io.github.mlflowkeycloak.request;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowkeycloak.route.Route;

/**
 * The protobuf request message of every MLflow route whose handler reads its request with
 * {@code _get_request_message}, and the descriptors of the messages they reach: the data file
 * {@code mlflow-messages.json} beside this class, which {@code mlflow_messages.py} generates from
 * the installed MLflow. Loaded once; a route's message is then one map lookup away.
 */
final class MlflowMessages {

    static final String RESOURCE = "mlflow-messages.json";

    private static final Map<String, ProtoMessage> BY_OPERATION = load();

    private MlflowMessages() {
    }

    /** The message MLflow parses the route's request into, or null when its handler parses none. */
    static ProtoMessage of(Route route) {
        return BY_OPERATION.get(route.operation());
    }

    private static Map<String, ProtoMessage> load() {
        try (InputStream in = MlflowMessages.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the provider jar");
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, ProtoMessage> parse(JsonNode data) {
        Map<String, ProtoEnum> enums = new HashMap<>();
        data.get("enums").properties().forEach(e -> {
            Map<String, Integer> numbers = new LinkedHashMap<>();
            e.getValue().get("values").properties().forEach(v -> numbers.put(v.getKey(), v.getValue().intValue()));
            enums.put(e.getKey(), new ProtoEnum(e.getKey(), e.getValue().get("closed").booleanValue(), numbers));
        });
        Map<String, ProtoMessage> messages = new HashMap<>();
        data.get("messages").properties().forEach(m -> {
            JsonNode form = m.getValue().get("wellKnown");
            messages.put(m.getKey(), new ProtoMessage(m.getKey(), form == null ? ProtoMessage.Form.FIELDS : ProtoMessage.Form.of(form.textValue())));
        });
        data.get("messages").properties().forEach(m -> {
            JsonNode fields = m.getValue().get("fields");
            if (fields != null) {
                fields.forEach(f -> messages.get(m.getKey()).add(field(f, messages, enums)));
            }
        });
        Map<String, ProtoMessage> byOperation = new HashMap<>();
        data.get("routes").properties().forEach(r -> byOperation.put(r.getKey(), required(messages, r.getValue().textValue())));
        return Map.copyOf(byOperation);
    }

    private static ProtoField field(JsonNode field, Map<String, ProtoMessage> messages, Map<String, ProtoEnum> enums) {
        JsonNode message = field.get("message");
        JsonNode enumType = field.get("enum");
        JsonNode oneof = field.get("oneof");
        return new ProtoField(field.get("name").textValue(), field.get("json").textValue(),
                ProtoField.Type.of(field.get("type").textValue()), field.path("repeated").booleanValue(),
                field.path("map").booleanValue(), message == null ? null : required(messages, message.textValue()),
                enumType == null ? null : required(enums, enumType.textValue()), oneof == null ? null : oneof.textValue());
    }

    private static <T> T required(Map<String, T> known, String name) {
        T value = known.get(name);
        if (value == null) {
            throw new IllegalStateException(RESOURCE + " refers to " + name + " without describing it");
        }
        return value;
    }
}
