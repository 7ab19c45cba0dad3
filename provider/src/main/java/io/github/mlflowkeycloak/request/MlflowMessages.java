package io.github.mlflowkeycloak.request;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowkeycloak.route.MlflowVersion;
import io.github.mlflowkeycloak.route.Route;
import io.github.mlflowkeycloak.route.RouteTable;
import io.github.mlflowkeycloak.route.RouteTableFile;

/**
 * The protobuf request message of every MLflow route whose handler reads its request with
 * {@code _get_request_message}, and the descriptors of the messages they reach, for one MLflow
 * release: the data files {@code mlflow-messages-<version>.json} beside this class, which
 * {@code mlflow_messages.py} generates from that release, one for each release the built-in route
 * table covers. A release only an override file covers has the messages of the nearest built-in
 * release before it (one older than all: the oldest's); the routes it adds have none, and are
 * checked without one, as MLflow reads them only by the table's fields.
 * Loaded once per release; a route's message is then one map lookup away.
 */
public final class MlflowMessages {

    static final String PREFIX = "mlflow-messages-";

    /** The releases that have a file, oldest first. */
    private static final List<MlflowVersion> WITH_FILE = RouteTableFile.builtIn().versions().stream()
            .filter(release -> MlflowMessages.class.getResource(resource(release)) != null).toList();
    /** Per release with a file, its messages; per release asked for, the messages it has. */
    private static final Map<MlflowVersion, MlflowMessages> LOADED = new ConcurrentHashMap<>();
    private static final Map<MlflowVersion, MlflowMessages> BY_RELEASE = new ConcurrentHashMap<>();

    private final Map<String, ProtoMessage> byOperation;

    private MlflowMessages(Map<String, ProtoMessage> byOperation) {
        this.byOperation = byOperation;
    }

    /** The messages of one release. */
    public static MlflowMessages of(MlflowVersion release) {
        return BY_RELEASE.computeIfAbsent(release, asked -> LOADED.computeIfAbsent(resourceRelease(asked), MlflowMessages::load));
    }

    /** The messages of the release mlflow/requirements.txt pins (the newest the built-in table covers). */
    static MlflowMessages newest() {
        return of(RouteTable.mlflow().mlflowVersion());
    }

    /** The message MLflow parses the route's request into, or null when its handler parses none. */
    ProtoMessage message(Route route) {
        return byOperation.get(route.operation());
    }

    /** The message of a route in the newest release. */
    static ProtoMessage of(Route route) {
        return newest().message(route);
    }

    /** The release whose file holds the messages of this one. */
    static MlflowVersion resourceRelease(MlflowVersion release) {
        if (WITH_FILE.isEmpty()) {
            throw new IllegalStateException("no " + PREFIX + "<version>.json is in the provider jar");
        }
        MlflowVersion found = WITH_FILE.get(0);
        for (MlflowVersion candidate : WITH_FILE) {
            if (candidate.compareTo(release) <= 0) {
                found = candidate;
            }
        }
        return found;
    }

    static String resource(MlflowVersion release) {
        return PREFIX + release + ".json";
    }

    private static MlflowMessages load(MlflowVersion release) {
        try (InputStream in = MlflowMessages.class.getResourceAsStream(resource(release))) {
            return new MlflowMessages(parse(new ObjectMapper().readTree(in)));
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
            throw new IllegalStateException(PREFIX + "*.json refers to " + name + " without describing it");
        }
        return value;
    }
}
