package io.github.mlflowkeycloak.request;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.github.mlflowkeycloak.route.RequestField;
import io.github.mlflowkeycloak.route.Route;

/**
 * Requests for a route's protobuf message, as a client or an attacker could send them: the ids
 * the route table names, other fields of the message with valid or wrong-typed values, unknown
 * fields, both spellings of a field, keys twice, field order, deep nesting, odd encodings,
 * double-encoded and empty bodies, and GET query strings with repeated and malformed parameters.
 * JSON is written as text, so that anything Python's or Jackson's reader could see is reachable.
 */
final class HostileRequests {

    /** One request; the query is raw (without '?'), the body null when there is none. */
    record Request(String method, String query, byte[] body, String contentType) {
    }

    private static final String[] IDS = {"\"1\"", "\"2\"", "\"42\"", "\"bob\"", "\"\"", "\"a/b\"", "\"é\"", "\"1\\u0000\"",
            "\"\\u0031\"", "\"\\ud800\"", "\"\\ud83d\\ude00\""};
    private static final String[] HOSTILE = {
            // numbers: fractions, integral floats, ranges, non-finite, Jackson's literals Python does not know
            "1.5", "1.0", "1e3", "-0", "0", "2147483648", "-2147483649", "4294967296", "9223372036854775808",
            "18446744073709551616", "-1", "1e400", "-1e400", "3.5e38", "NaN", "Infinity", "-Infinity", "+INF", "-INF",
            "+Infinity", "1" + "0".repeat(400), "1" + "0".repeat(1100),
            // strings: numeric, non-finite, enum-like, time-like, base64-like, surrogates
            "\"NaN\"", "\"nan\"", "\"Infinity\"", "\"-Infinity\"", "\"inf\"", "\"+INF\"", "\"1\"", "\" 1\"", "\"01\"", "\"-0\"",
            "\"1e3\"", "\"1.0\"", "\"1.5\"", "\"1_000\"", "\"0x10\"", "\"abc\"", "\"\"", "\"\\ud800\"", "\"\\udc00x\"",
            "\"\\ud83d\\ude00\"", "\"ACTIVE_ONLY\"", "\"ALL\"", "\"NOPE\"", "\"99\"", "\"A1\"", "\"true\"",
            "\"2024-01-31T12:00:00Z\"", "\"2024-1-1T1:2:3Z\"", "\"2024-02-30T00:00:00Z\"", "\"1.5s\"", "\" 1s\"",
            "\"AAECAw==\"", "\"A\"", "\"a_b\"", "\"a,b\"", "\"[x]\"",
            // other shapes
            "true", "false", "null", "[]", "[1]", "[null]", "[\"a\"]", "[[1]]", "[1.5, \"x\"]", "{}", "{\"a\": 1}",
            "{\"experiment_ids\": [\"9\"]}", "{\"key\": \"k\", \"value\": \"v\"}"};
    /** Besides HOSTILE, for the sweep of every field: edges of each type, valid and not. */
    private static final String[] EDGES = {"7", "2147483647", "-2147483648", "4294967295", "9223372036854775807",
            "-9223372036854775808", "18446744073709551615", "3.4028234663852886e38", "1e-400", "1" + "0".repeat(300),
            "\"2\"", "\"_x\"", "\"1e400\"", "\"3.5e38\"", "\"false\"", "\"2024-01-31T12:00:00.5+05:30\"",
            "\"2024-01-31T12:00:00-00:00\"", "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"", "\"2024-01-31t12:00:00Z\"",
            "\"2024-01-31T12:00:00\"", "\"1s\"", "\"-1.5s\"", "\"-0.000000001s\"", "\"315576000000s\"", "\"315576000001s\"",
            "\"1.0000000001s\"", "\"1S\"", "\"AAECAw\"", "\"AB=\"", "\"A-_B\"", "\"====\"", "\"aB.cD\"", "{\"a\": null}",
            "[{}]", "[{\"a\": 1}]", "{\"1\": \"x\"}", "{\"\\ud800\": \"x\"}", "[true]", "[\"NaN\"]", "[1e400]", "[\"ALL\"]",
            "[NaN]", "{\"a\": NaN}"};
    private static final String[] QUERY_VALUES = {"1", "2", "abc", "", "1.5", "-1", "2147483648", "9223372036854775808",
            "true", "TRUE", "True", "false", "yes", "1e3", "+1", "%201", "01", "NOPE", "ACTIVE_ONLY", "ALL", "%FF", "%C3%A9",
            "a+b", "%2B1", "NaN", "%ED%A0%80"};
    private static final String[] UNKNOWN_KEYS = {"foo", "experimentIDs", "run_ID", "[foo]", "[mlflow.ext]", "[foo", "_", ""};

    private final Random random;

    /** The values the sweep gives every field of a GET's query string, percent-encoded. */
    static List<String> sweepQueryValues() {
        return List.of(QUERY_VALUES);
    }

    /** The values the sweep gives every field, as JSON text. */
    static List<String> sweepValues() {
        List<String> values = new ArrayList<>(List.of(HOSTILE));
        values.addAll(List.of(EDGES));
        return values;
    }

    HostileRequests(Random random) {
        this.random = random;
    }

    Request next(Route route, ProtoMessage message) {
        String method = route.method();
        if (method.equals("GET") && one(6)) {
            method = "HEAD";
        }
        String contentType = method.equals("POST") || method.equals("PUT")
                ? pick("application/json", "application/json; charset=utf-8")
                : pick(null, "application/json", "text/plain");
        boolean fromQuery = method.equals("GET") && random.nextBoolean();
        String query = fromQuery || one(8) ? query(route, message) : "";
        byte[] body = !fromQuery || one(5) ? body(route, message) : null;
        return new Request(method, query, body, contentType);
    }

    private String query(Route route, ProtoMessage message) {
        List<String> pairs = new ArrayList<>();
        for (RequestField id : ids(route)) {
            if (!id.name().contains(".") && !one(6)) {
                int count = id.isRepeated() ? random.nextInt(3) : one(6) ? 2 : 1;
                for (int i = 0; i < count; i++) {
                    pairs.add(id.name() + "=" + pick(QUERY_VALUES));
                }
            }
        }
        int others = random.nextInt(4);
        for (int i = 0; i < others && !message.fields().isEmpty(); i++) {
            ProtoField field = message.fields().get(random.nextInt(message.fields().size()));
            String key = one(8) ? field.jsonName() : one(12) ? pick(UNKNOWN_KEYS) : field.name();
            pairs.add(key + (one(10) ? "" : "=" + queryValue(field)));
            if (one(6)) {
                pairs.add(key + "=" + pick(QUERY_VALUES));
            }
        }
        Collections.shuffle(pairs, random);
        return String.join("&", pairs);
    }

    private String queryValue(ProtoField field) {
        if (one(2)) {
            return pick(QUERY_VALUES);
        }
        return switch (field.type()) {
            case INT32, INT64, UINT32, UINT64 -> String.valueOf(random.nextInt(100));
            case BOOL -> pick("true", "false");
            case ENUM -> pick(field.enumType().numbers().keySet().toArray(String[]::new));
            default -> "x";
        };
    }

    private byte[] body(Route route, ProtoMessage message) {
        String text = switch (random.nextInt(24)) {
            case 0 -> "";
            case 1 -> "null";
            case 2 -> " \n";
            case 3 -> pick("[]", "5", "\"x\"", "[{\"experiment_ids\": [\"1\"]}]", "{", "{}");
            default -> object(route, message).toString();
        };
        if (one(10)) {
            text = string(text); // double-encoded, as older clients send
        }
        if (one(25)) {
            text = "\uFEFF" + text;
        }
        if (one(30)) {
            text = text + pick(" x", " {}", "\n");
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (one(20)) {
            bytes = withInvalidUtf8(bytes);
        }
        return bytes;
    }

    /** The body's object: the route's ids, other fields of the message, unknown fields, in any order. */
    private Json.Obj object(Route route, ProtoMessage message) {
        Json.Obj object = new Json.Obj(new ArrayList<>());
        for (RequestField id : ids(route)) {
            if (!one(7)) {
                addId(object, message, id.name().split("\\."), 0);
            }
        }
        int others = random.nextInt(4);
        for (int i = 0; i < others && !message.fields().isEmpty(); i++) {
            ProtoField field = message.fields().get(random.nextInt(message.fields().size()));
            object.members().add(new Json.Member(key(field), one(3) ? hostile() : valid(field, 0)));
        }
        if (one(4)) {
            object.members().add(new Json.Member(pick(UNKNOWN_KEYS), one(2) ? hostile() : deep(random.nextInt(80))));
        }
        if (one(12) && !object.members().isEmpty()) {
            Json.Member member = object.members().get(random.nextInt(object.members().size()));
            ProtoField field = message.field(member.key());
            String other = field == null ? member.key() : member.key().equals(field.name()) ? field.jsonName() : field.name();
            object.members().add(new Json.Member(one(3) ? member.key() : other, one(2) ? member.value() : hostile()));
        }
        Collections.shuffle(object.members(), random);
        return object;
    }

    /** Sets an id at a dotted path, merging into objects already there; name[] is a list of objects. */
    private void addId(Json.Obj object, ProtoMessage message, String[] path, int index) {
        String segment = path[index];
        boolean each = segment.endsWith("[]");
        ProtoField field = message.field(each ? segment.substring(0, segment.length() - 2) : segment);
        if (field == null) {
            return;
        }
        Json.Member existing = object.members().stream()
                .filter(m -> m.key().equals(field.name()) || m.key().equals(field.jsonName())).findFirst().orElse(null);
        if (index == path.length - 1) {
            if (existing == null) {
                object.members().add(new Json.Member(key(field), idValue(field)));
            }
            return;
        }
        if (existing != null) {
            Json target = existing.value() instanceof Json.Arr list && !list.items().isEmpty() ? list.items().get(0) : existing.value();
            if (target instanceof Json.Obj nested) {
                addId(nested, field.message(), path, index + 1);
            }
            return;
        }
        Json.Obj nested = new Json.Obj(new ArrayList<>());
        addId(nested, field.message(), path, index + 1);
        Json value = nested;
        if (each) {
            List<Json> items = new ArrayList<>(List.of(nested));
            if (one(2)) {
                Json.Obj second = new Json.Obj(new ArrayList<>());
                addId(second, field.message(), path, index + 1);
                items.add(second);
            }
            value = new Json.Arr(items);
        }
        object.members().add(new Json.Member(key(field), one(15) ? hostile() : value));
    }

    private Json idValue(ProtoField field) {
        if (one(8)) {
            return hostile();
        }
        boolean integer = field.type().min != null;
        if (!field.repeated()) {
            return integer ? new Json.Raw(pick("1", "\"2\"", "7")) : new Json.Raw(pick(IDS));
        }
        List<Json> items = new ArrayList<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            items.add(new Json.Raw(integer ? String.valueOf(i) : pick(IDS)));
        }
        return new Json.Arr(items);
    }

    /** A value ParseDict accepts for the field, as MessageToJson or a careful client writes it. */
    private Json valid(ProtoField field, int depth) {
        if (field.map()) {
            Json.Obj map = new Json.Obj(new ArrayList<>());
            map.members().add(new Json.Member("k", single(field.message().field("value"), depth + 1)));
            return map;
        }
        if (field.repeated()) {
            return new Json.Arr(new ArrayList<>(List.of(single(field, depth + 1), single(field, depth + 1))));
        }
        return single(field, depth);
    }

    private Json single(ProtoField field, int depth) {
        return switch (field.type()) {
            case INT32, UINT32 -> new Json.Raw(pick("0", "7", "100"));
            case INT64, UINT64 -> new Json.Raw(pick("\"0\"", "\"1700000000000\"", "5"));
            case FLOAT, DOUBLE -> new Json.Raw(pick("1.5", "0", "-2.5e10", "\"NaN\"", "\"Infinity\"", "\"-Infinity\""));
            case BOOL -> new Json.Raw(pick("true", "false"));
            case STRING -> new Json.Raw(pick("\"x\"", "\"\"", "\"é\"", "\"a b\""));
            case BYTES -> new Json.Raw(pick("\"AAECAw==\"", "\"\""));
            case ENUM -> new Json.Raw(string(pick(field.enumType().numbers().keySet().toArray(String[]::new))));
            case MESSAGE -> message(field.message(), depth);
        };
    }

    private Json message(ProtoMessage message, int depth) {
        return switch (message.form()) {
            case VALUE, STRUCT, LIST_VALUE -> new Json.Raw(pick("{\"a\": [1, null, {\"b\": \"c\"}]}", "[1, 2.5, \"x\"]", "null",
                    "\"x\"", "3"));
            case TIMESTAMP -> new Json.Raw(pick("\"2024-01-31T12:00:00Z\"", "\"2024-01-31T12:00:00.123456Z\""));
            case DURATION -> new Json.Raw(pick("\"1.500s\"", "\"0s\"", "\"-3s\""));
            case FIELD_MASK -> new Json.Raw(pick("\"name\"", "\"name,tags\""));
            case FIELDS -> {
                Json.Obj object = new Json.Obj(new ArrayList<>());
                int count = depth > 3 || message.fields().isEmpty() ? 0 : random.nextInt(3);
                for (int i = 0; i < count; i++) {
                    ProtoField field = message.fields().get(random.nextInt(message.fields().size()));
                    if (object.members().stream().noneMatch(m -> message.field(m.key()) == field)) {
                        object.members().add(new Json.Member(key(field), one(6) ? hostile() : valid(field, depth + 1)));
                    }
                }
                yield object;
            }
        };
    }

    private Json hostile() {
        return one(12) ? deep(random.nextInt(90)) : new Json.Raw(pick(HOSTILE));
    }

    /** Lists and objects nested this deep. */
    private Json deep(int depth) {
        StringBuilder json = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            json.append(i % 2 == 0 ? "[" : "{\"a\": ");
        }
        json.append("1");
        for (int i = depth - 1; i >= 0; i--) {
            json.append(i % 2 == 0 ? "]" : "}");
        }
        return new Json.Raw(json.toString());
    }

    /** The field's proto name or JSON name, now and then with its underscore written as an escape. */
    private String key(ProtoField field) {
        String key = random.nextBoolean() ? field.name() : field.jsonName();
        return one(20) ? key.replaceFirst("_", "\\\\u005f") : key;
    }

    private static List<RequestField> ids(Route route) {
        return route.ids().stream()
                .filter(id -> id.source() == RequestField.Source.REQUEST || id.source() == RequestField.Source.BODY).toList();
    }

    /** An overlong '/', a lone continuation byte or a truncated sequence, inside the body's first string. */
    private byte[] withInvalidUtf8(byte[] bytes) {
        byte[][] invalid = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        byte[] insert = invalid[random.nextInt(invalid.length)];
        int at = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '"') {
                at = i + 1;
                break;
            }
        }
        byte[] out = new byte[bytes.length + insert.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(bytes, at, out, at + insert.length, bytes.length - at);
        return out;
    }

    private static String string(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                default -> json.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return json.append('"').toString();
    }

    private boolean one(int in) {
        return random.nextInt(in) == 0;
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }

    /** JSON as text: members in order, keys written as given (escapes included), duplicates allowed. */
    sealed interface Json {

        record Raw(String text) implements Json {
            @Override
            public String toString() {
                return text;
            }
        }

        record Arr(List<Json> items) implements Json {
            @Override
            public String toString() {
                return "[" + String.join(", ", items.stream().map(Json::toString).toList()) + "]";
            }
        }

        record Obj(List<Member> members) implements Json {
            @Override
            public String toString() {
                return "{" + String.join(", ", members.stream().map(m -> "\"" + m.key() + "\": " + m.value()).toList()) + "}";
            }
        }

        record Member(String key, Json value) {
        }
    }
}
