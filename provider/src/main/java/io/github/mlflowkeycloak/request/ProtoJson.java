package io.github.mlflowkeycloak.request;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Refuses every request that protobuf's {@code ParseDict} would not parse completely into its
 * MLflow request message.
 *
 * <p>MLflow's {@code _get_request_message} parses with {@code ParseDict(…, ignore_unknown_fields=True)}
 * and, when that fails, goes on with the message as far as it was parsed: the fields before the
 * one that failed are set, the rest are not. A wrong-typed field placed before the ids would make
 * MLflow act on no ids at all while the gateway checked the ones it read. So each request is
 * checked against ParseDict's rules for its message, field by field; unknown fields are ignored,
 * as ParseDict ignores them.
 *
 * <p>Stricter than ParseDict only for forms the {@code mlflow} client never sends (it sends
 * {@code MessageToJson}'s output): integers as JSON integers or canonical decimal strings, not as
 * {@code 1.0}, {@code "1e3"} or {@code " 7"}; doubles as numbers, decimal strings or
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}, never as booleans; enums by name or
 * by number, and an unknown name only when it reads as a name (ParseDict skips it); a float
 * within float's range; a message as a JSON object; timestamps, durations and field masks in their
 * canonical forms; a field given in both spellings (MLflow refuses that itself).
 */
final class ProtoJson {

    /** json_format's {@code max_recursion_depth}: messages (Struct and Value count each) nest at most this deep. */
    private static final int MAX_MESSAGES = 100;
    private static final Pattern INTEGER = Pattern.compile("0|-?[1-9][0-9]*");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final Set<String> NON_FINITE = Set.of("NaN", "Infinity", "-Infinity");
    /** A string that Python's {@code int()} cannot read: ParseDict skips it as an enum name it does not know. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** ParseDict's {@code _VALID_EXTENSION_NAME}, which it refuses in a message without extensions. */
    private static final Pattern EXTENSION = Pattern.compile("\\[[a-zA-Z0-9._]*]\n?");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\\.[0-9]{1,9})?(Z|([+-])([0-9]{2}):([0-9]{2}))");
    private static final Pattern DURATION = Pattern.compile("-?(0|[1-9][0-9]{0,11})(\\.[0-9]{1,9})?s");
    private static final Pattern FIELD_MASK = Pattern.compile("([A-Za-z0-9.]+(,[A-Za-z0-9.]+)*)?");
    private static final long TIMESTAMP_MIN = -62135596800L;
    private static final long TIMESTAMP_MAX = 253402300799L;
    private static final long DURATION_MAX = 315576000000L;

    private ProtoJson() {
    }

    static void validate(ProtoMessage message, JsonNode object) throws BadRequestException {
        message(message, object, null, 1);
    }

    /**
     * What MLflow parses a GET with a query string from: for each field of the message, in the
     * descriptor's order, the values of the key that is its proto name (all of them for a repeated
     * field, else the first), a bool read as {@code true} or {@code false} in any case.
     */
    static ObjectNode queryObject(ProtoMessage message, QueryString query) throws BadRequestException {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        for (ProtoField field : message.fields()) {
            List<String> values = query.values(field.name());
            if (values.isEmpty()) {
                continue;
            }
            if (field.repeated()) {
                ArrayNode list = object.putArray(field.name());
                values.forEach(list::add);
            } else if (field.type() == ProtoField.Type.BOOL) {
                object.put(field.name(), bool(field, values.get(0)));
            } else {
                object.put(field.name(), values.get(0));
            }
        }
        return object;
    }

    /** MLflow's own check, {@code value.lower() in ["true", "false"]}: only ASCII letters lower to these. */
    private static boolean bool(ProtoField field, String value) throws BadRequestException {
        if (value.chars().allMatch(c -> c < 0x80)) {
            String lower = value.toLowerCase(Locale.ROOT);
            if (lower.equals("true") || lower.equals("false")) {
                return lower.equals("true");
            }
        }
        throw new BadRequestException("The query string's '" + field.name() + "' must be true or false.");
    }

    /** ParseDict's {@code ConvertMessage}: every message entered counts towards the depth limit. */
    private static void message(ProtoMessage message, JsonNode node, Where where, int depth) throws BadRequestException {
        enter(where, depth);
        switch (message.form()) {
            case FIELDS -> fields(message, node, where, depth);
            case VALUE -> value(node, where, depth);
            case STRUCT -> struct(node, where, depth);
            case LIST_VALUE -> listValue(node, where, depth);
            case TIMESTAMP -> timestamp(node, where);
            case DURATION -> duration(node, where);
            case FIELD_MASK -> fieldMask(node, where);
        }
    }

    private static void fields(ProtoMessage message, JsonNode node, Where where, int depth) throws BadRequestException {
        if (!node.isObject()) {
            throw bad(where, "must be a JSON object");
        }
        // ParseDict's "names": the keys read so far and the oneofs set so far, one namespace.
        Set<String> names = new HashSet<>();
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            String key = member.getKey();
            JsonNode value = member.getValue();
            Where at = new Where(where, key, -1);
            ProtoField field = message.field(key);
            if (field == null) {
                text(key, at); // protobuf looks an unknown key up as UTF-8, and fails on a lone surrogate
                if (EXTENSION.matcher(key).matches()) {
                    throw bad(at, "names an extension, which " + message.name() + " does not have");
                }
                continue;
            }
            String other = key.equals(field.name()) ? field.jsonName() : field.name();
            if (names.contains(other)) {
                throw new BadRequestException("The request gives both '" + other + "' and '" + key + "'; give only one.");
            }
            if (!names.add(key)) {
                throw bad(at, "names the oneof an earlier field set");
            }
            if (field.oneof() != null && !value.isNull() && !names.add(field.oneof())) {
                throw bad(at, "is a second field of the oneof '" + field.oneof() + "'");
            }
            if (value.isNull()) {
                continue; // ParseDict clears the field (a Value becomes null_value)
            }
            if (field.map()) {
                map(field, value, at, depth);
            } else if (field.repeated()) {
                if (!value.isArray()) {
                    throw bad(at, "must be a list");
                }
                for (int i = 0; i < value.size(); i++) {
                    element(field, value.get(i), new Where(at, null, i), depth);
                }
            } else {
                element(field, value, at, depth);
            }
        }
    }

    private static void element(ProtoField field, JsonNode value, Where where, int depth) throws BadRequestException {
        if (field.type() == ProtoField.Type.MESSAGE) {
            if (value.isNull() && field.message().form() != ProtoMessage.Form.VALUE) {
                throw bad(where, "must not be null");
            }
            message(field.message(), value, where, depth + 1);
        } else {
            scalar(field, value, where);
        }
    }

    private static void map(ProtoField field, JsonNode value, Where where, int depth) throws BadRequestException {
        if (!value.isObject()) {
            throw bad(where, "must be a JSON object");
        }
        ProtoField keyField = field.message().field("key");
        ProtoField valueField = field.message().field("value");
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            Where at = new Where(where, entry.getKey(), -1);
            if (keyField.type() == ProtoField.Type.BOOL) {
                if (!entry.getKey().equals("true") && !entry.getKey().equals("false")) {
                    throw bad(at, "must have the key true or false");
                }
            } else {
                scalar(keyField, JsonNodeFactory.instance.textNode(entry.getKey()), at);
            }
            element(valueField, entry.getValue(), at, depth);
        }
    }

    private static void scalar(ProtoField field, JsonNode value, Where where) throws BadRequestException {
        switch (field.type()) {
            case INT32, INT64, UINT32, UINT64 -> integer(field.type(), value, where);
            case FLOAT, DOUBLE -> floating(field.type(), value, where);
            case BOOL -> {
                if (!value.isBoolean()) {
                    throw bad(where, "must be true or false");
                }
            }
            case STRING -> {
                if (!value.isTextual()) {
                    throw bad(where, "must be a string");
                }
                text(value.textValue(), where);
            }
            case BYTES -> {
                if (!value.isTextual() || !isBase64(value.textValue())) {
                    throw bad(where, "must be base64");
                }
            }
            case ENUM -> enumeration(field.enumType(), value, where);
            case MESSAGE -> throw new IllegalStateException(field.name() + " is a message, not a scalar");
        }
    }

    private static void integer(ProtoField.Type type, JsonNode value, Where where) throws BadRequestException {
        BigInteger number;
        if (value.isIntegralNumber()) {
            number = value.bigIntegerValue();
        } else if (value.isTextual() && INTEGER.matcher(value.textValue()).matches()) {
            // No 64-bit integer has more than 20 characters; a longer one need not be converted to be refused.
            number = value.textValue().length() <= 20 ? new BigInteger(value.textValue()) : type.max.add(BigInteger.ONE);
        } else {
            throw bad(where, "must be an integer");
        }
        if (number.compareTo(type.min) < 0 || number.compareTo(type.max) > 0) {
            throw bad(where, "is out of the range of " + type.name().toLowerCase(Locale.ROOT));
        }
    }

    private static void floating(ProtoField.Type type, JsonNode value, Where where) throws BadRequestException {
        if (value.isTextual()) {
            if (!NON_FINITE.contains(value.textValue()) && !DECIMAL.matcher(value.textValue()).matches()) {
                throw bad(where, "must be a number, \"NaN\", \"Infinity\" or \"-Infinity\"");
            }
            return;
        }
        if (!value.isNumber()) {
            throw bad(where, "must be a number");
        }
        // Python converts an integer to a double and fails past the largest; NaN and Infinity must be quoted.
        double number = value.isIntegralNumber() ? value.bigIntegerValue().doubleValue() : value.doubleValue();
        if (!Double.isFinite(number)) {
            throw bad(where, "must be finite (or quoted: \"NaN\", \"Infinity\", \"-Infinity\")");
        }
        if (type == ProtoField.Type.FLOAT && Math.abs(number) > Float.MAX_VALUE) {
            throw bad(where, "is out of the range of float");
        }
    }

    private static void enumeration(ProtoEnum type, JsonNode value, Where where) throws BadRequestException {
        if (value.isTextual()) {
            if (!type.numbers().containsKey(value.textValue()) && !NAME.matcher(value.textValue()).matches()) {
                throw bad(where, "must be a name of " + type.name());
            }
            return;
        }
        if (!value.isIntegralNumber()) {
            throw bad(where, "must be a name of " + type.name());
        }
        BigInteger number = value.bigIntegerValue();
        boolean known = number.bitLength() < 32 && type.defined().contains(number.intValue());
        if (type.closed() ? !known : number.bitLength() >= 32) {
            throw bad(where, "is not a value of " + type.name());
        }
    }

    /** A {@code google.protobuf.Value}: any JSON, but numbers must convert to a double. */
    private static void value(JsonNode node, Where where, int depth) throws BadRequestException {
        if (node.isObject()) {
            enter(where, depth + 1);
            struct(node, where, depth + 1);
        } else if (node.isArray()) {
            enter(where, depth + 1);
            listValue(node, where, depth + 1);
        } else if (node.isTextual()) {
            text(node.textValue(), where);
        } else if (node.isIntegralNumber() && Double.isInfinite(node.bigIntegerValue().doubleValue())) {
            throw bad(where, "is too large a number");
        }
    }

    private static void struct(JsonNode node, Where where, int depth) throws BadRequestException {
        if (!node.isObject()) {
            throw bad(where, "must be a JSON object");
        }
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            Where at = new Where(where, member.getKey(), -1);
            text(member.getKey(), at);
            enter(at, depth + 1);
            value(member.getValue(), at, depth + 1);
        }
    }

    private static void listValue(JsonNode node, Where where, int depth) throws BadRequestException {
        if (!node.isArray()) {
            throw bad(where, "must be a list");
        }
        for (int i = 0; i < node.size(); i++) {
            Where at = new Where(where, null, i);
            enter(at, depth + 1);
            value(node.get(i), at, depth + 1);
        }
    }

    private static void enter(Where where, int depth) throws BadRequestException {
        if (depth > MAX_MESSAGES) {
            throw bad(where, "is nested deeper than the " + MAX_MESSAGES + " messages protobuf reads");
        }
    }

    /** RFC 3339 as {@code Timestamp.FromJsonString} reads it, within Timestamp's range. */
    private static void timestamp(JsonNode node, Where where) throws BadRequestException {
        Matcher matcher = node.isTextual() ? TIMESTAMP.matcher(node.textValue()) : null;
        if (matcher == null || !matcher.matches()) {
            throw bad(where, "must be a timestamp like 2024-01-31T12:00:00.000Z");
        }
        long seconds;
        try {
            seconds = LocalDateTime.of(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                    Integer.parseInt(matcher.group(3)), Integer.parseInt(matcher.group(4)), Integer.parseInt(matcher.group(5)),
                    Integer.parseInt(matcher.group(6))).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw bad(where, "is not a date and time");
        }
        if (matcher.group(9) != null) {
            int hours = Integer.parseInt(matcher.group(10));
            int minutes = Integer.parseInt(matcher.group(11));
            if (hours > 23 || minutes > 59) {
                throw bad(where, "has no valid offset");
            }
            seconds -= (matcher.group(9).equals("+") ? 1 : -1) * (hours * 3600L + minutes * 60L);
        }
        if (Integer.parseInt(matcher.group(1)) == 0 || seconds < TIMESTAMP_MIN || seconds > TIMESTAMP_MAX) {
            throw bad(where, "is out of Timestamp's range");
        }
    }

    private static void duration(JsonNode node, Where where) throws BadRequestException {
        Matcher matcher = node.isTextual() ? DURATION.matcher(node.textValue()) : null;
        if (matcher == null || !matcher.matches() || Long.parseLong(matcher.group(1)) > DURATION_MAX) {
            throw bad(where, "must be a duration like 1.500s, within Duration's range");
        }
    }

    private static void fieldMask(JsonNode node, Where where) throws BadRequestException {
        if (!node.isTextual() || !FIELD_MASK.matcher(node.textValue()).matches()) {
            throw bad(where, "must be a field mask like name,tags.key");
        }
    }

    /** Protobuf stores strings as UTF-8: a lone surrogate (from a {@code \\ud800} escape) fails. */
    private static void text(String text, Where where) throws BadRequestException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw bad(where, "has an unpaired surrogate");
            }
        }
    }

    /**
     * Base64, standard or URL-safe, padded or not: what Python's {@code urlsafe_b64decode} decodes
     * after ParseDict pads it (it would also skip other characters; they are refused here).
     */
    private static boolean isBase64(String text) {
        int data = 0;
        int padding = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '=') {
                padding++;
            } else if (padding > 0 || !(c < 0x80 && (Character.isLetterOrDigit(c) || c == '+' || c == '/' || c == '-' || c == '_'))) {
                return false;
            } else {
                data++;
            }
        }
        return padding <= 2 && data % 4 != 1 && (padding == 0 || (data + padding) % 4 == 0);
    }

    private static BadRequestException bad(Where where, String problem) {
        return new BadRequestException("The request's '" + (where == null ? "body" : where) + "' " + problem
                + ", as MLflow parses it.");
    }

    /** Where in the request a value is, written out only when a value is refused: {@code trace.tags[0]}. */
    private record Where(Where parent, String key, int index) {

        private static final int SHOWN = 64;

        @Override
        public String toString() {
            String self = key != null ? shown(key) : "[" + index + "]";
            if (parent == null) {
                return self;
            }
            return parent + (key != null ? "." : "") + self;
        }

        /** A key as the answer can carry it: control characters and surrogates escaped, a long key cut. */
        private static String shown(String key) {
            StringBuilder shown = new StringBuilder();
            for (int i = 0; i < Math.min(key.length(), SHOWN); i++) {
                char c = key.charAt(i);
                shown.append(c < 0x20 || Character.isSurrogate(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
            return key.length() > SHOWN ? shown + "…" : shown.toString();
        }
    }
}
