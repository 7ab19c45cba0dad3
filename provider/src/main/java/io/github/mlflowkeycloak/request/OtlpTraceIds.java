package io.github.mlflowkeycloak.request;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The MLflow trace ids of the spans in an OTLP/HTTP trace export ({@code POST /v1/traces}), read
 * as MLflow's server reads the body (mlflow/server/otel_api.py {@code export_traces}): the
 * Content-Type's media type, compared as MLflow compares it, picks protobuf or OTLP JSON; the
 * Content-Encoding, lower-cased, is gzip or deflate (a zlib stream, else a raw deflate stream);
 * each span's MLflow trace id is {@code tr-} and its OTel trace id in hex.
 *
 * <p>Refused, as MLflow refuses them: another media type or encoding, a body that does not
 * decompress or parse, no resource spans, a span without a trace id. Refused although MLflow
 * reads them, because they can be read more than one way or no OTLP client sends them: a trace id
 * of other than 16 bytes (MLflow reads it as a number, so {@code 01} names the trace of
 * {@code 00…01}); in protobuf a group, or another wire type for a field followed here (protobuf
 * skips it as unknown); in JSON a key given twice, a field in both spellings, hex or base64 that
 * is not canonical; more than {@value #MAX_DECOMPRESSED} bytes decompressed. Resource spans
 * without spans are an empty set: MLflow answers 200 and logs nothing.
 */
public final class OtlpTraceIds {

    static final int MAX_DECOMPRESSED = 16 << 20;

    private static final String PROTOBUF = "application/x-protobuf";
    private static final String TRACE_TAG_PREFIX = "mlflow.traceTag.";
    private static final String JSON = "application/json";
    private static final HexFormat HEX = HexFormat.of();
    // Python's json.loads reads NaN; it keeps the last of a key given twice, which is refused here.
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private OtlpTraceIds() {
    }

    /**
     * What MLflow takes from an export besides spans.
     *
     * @param traceIds     the distinct MLflow trace ids of the spans, in the order of the spans
     * @param traceTagKeys the trace tags the spans' attributes set ({@code mlflow.traceTag.<key>}, which
     *                     MLflow turns into tags of the trace)
     */
    public record Export(Set<String> traceIds, Set<String> traceTagKeys) {
    }

    /** The distinct MLflow trace ids of the body's spans, in the order of the spans; a null body is an empty one. */
    public static Set<String> read(byte[] body, String contentType, String contentEncoding) throws BadRequestException {
        return readExport(body, contentType, contentEncoding).traceIds();
    }

    public static Export readExport(byte[] body, String contentType, String contentEncoding) throws BadRequestException {
        // MLflow strips Python's whitespace (a superset of Java's) around what precedes a ';', and compares case-sensitively.
        String mediaType = contentType == null ? null : contentType.split(";", -1)[0].strip();
        if (!PROTOBUF.equals(mediaType) && !JSON.equals(mediaType)) {
            throw new BadRequestException("An OTLP trace export must be " + PROTOBUF + " or " + JSON + ".");
        }
        byte[] raw = body == null ? new byte[0] : body;
        byte[] decoded = contentEncoding == null || contentEncoding.isEmpty() ? raw
                : decompress(raw, contentEncoding.toLowerCase(Locale.ROOT));
        Set<String> tagKeys = new LinkedHashSet<>();
        List<byte[]> traceIds = PROTOBUF.equals(mediaType) ? protobufTraceIds(decoded, tagKeys) : jsonTraceIds(decoded, tagKeys);
        Set<String> ids = new LinkedHashSet<>();
        for (byte[] traceId : traceIds) {
            if (traceId.length != 16) {
                throw new BadRequestException("A span's trace id must be 16 bytes.");
            }
            ids.add("tr-" + HEX.formatHex(traceId));
        }
        return new Export(Collections.unmodifiableSet(ids), Collections.unmodifiableSet(tagKeys));
    }

    /** The trace tag an attribute key sets, if it is one: every span's are taken, MLflow reads the root span's. */
    private static void addTraceTag(String attributeKey, Set<String> tagKeys) {
        if (attributeKey.startsWith(TRACE_TAG_PREFIX)) {
            tagKeys.add(attributeKey.substring(TRACE_TAG_PREFIX.length()));
        }
    }

    private static byte[] decompress(byte[] body, String encoding) throws BadRequestException {
        Output out = new Output();
        switch (encoding) {
            case "gzip" -> gunzip(body, out);
            case "deflate" -> {
                // Python's zlib.decompress, then the raw stream when that fails; both ignore what follows the stream.
                if (inflate(body, 0, false, out) < 0) {
                    out.reset();
                    if (inflate(body, 0, true, out) < 0) {
                        throw new BadRequestException("The body is not a deflate stream.");
                    }
                }
            }
            default -> throw new BadRequestException("The Content-Encoding of an OTLP trace export must be gzip or deflate.");
        }
        return out.toByteArray();
    }

    /** Python's gzip.decompress: members one after another, NUL bytes between them skipped. */
    private static void gunzip(byte[] body, Output out) throws BadRequestException {
        int position = 0;
        while (position < body.length) {
            position = afterGzipHeader(body, position);
            int start = out.size();
            int end = inflate(body, position, true, out);
            if (end < 0 || body.length - end < 8) {
                throw new BadRequestException("The body is not gzip: a member is truncated or corrupt.");
            }
            ByteBuffer trailer = ByteBuffer.wrap(body, end, 8).order(ByteOrder.LITTLE_ENDIAN);
            if (trailer.getInt() != out.crc32(start) || trailer.getInt() != out.size() - start) {
                throw new BadRequestException("The body is not gzip: a member's checksum or length is wrong.");
            }
            position = end + 8;
            while (position < body.length && body[position] == 0) {
                position++;
            }
        }
    }

    /** Where a gzip member's deflate stream starts: after the header and its optional fields, as Python skips them. */
    private static int afterGzipHeader(byte[] body, int position) throws BadRequestException {
        if (body.length - position < 10 || body[position] != 0x1f || body[position + 1] != (byte) 0x8b
                || body[position + 2] != 8) {
            throw new BadRequestException("The body is not gzip.");
        }
        int flags = body[position + 3];
        position += 10;
        if ((flags & 4) != 0) {
            position = require(body, position + 2) + ((body[position] & 0xff) | (body[position + 1] & 0xff) << 8);
        }
        if ((flags & 8) != 0) {
            position = afterNul(body, position); // the file name
        }
        if ((flags & 16) != 0) {
            position = afterNul(body, position); // the comment
        }
        if ((flags & 2) != 0) {
            position += 2;
        }
        return require(body, position);
    }

    /** Past the NUL that ends a string, or at the body's end: Python stops at either. */
    private static int afterNul(byte[] body, int position) {
        int nul = position;
        while (nul < body.length && body[nul] != 0) {
            nul++;
        }
        return Math.min(nul + 1, body.length);
    }

    private static int require(byte[] body, int position) throws BadRequestException {
        if (position > body.length) {
            throw new BadRequestException("The body is not gzip: its header is truncated.");
        }
        return position;
    }

    /** Inflates the stream at body[offset..] into out; where it ends, or -1 if it is not one whole stream. */
    private static int inflate(byte[] body, int offset, boolean raw, Output out) throws BadRequestException {
        Inflater inflater = new Inflater(raw);
        try {
            inflater.setInput(body, offset, body.length - offset);
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int length = inflater.inflate(buffer);
                if (length == 0 && !inflater.finished()) {
                    return -1; // it needs more input, or a preset dictionary
                }
                if (out.size() + length > MAX_DECOMPRESSED) {
                    throw new BadRequestException("The body decompresses to more than " + MAX_DECOMPRESSED + " bytes.");
                }
                out.write(buffer, 0, length);
            }
            return body.length - inflater.getRemaining();
        } catch (DataFormatException e) {
            return -1;
        } finally {
            inflater.end();
        }
    }

    private static final class Output extends ByteArrayOutputStream {

        /** The CRC-32 of what was written from start on, as gzip's trailer gives it. */
        int crc32(int start) {
            CRC32 crc = new CRC32();
            crc.update(buf, start, count - start);
            return (int) crc.getValue();
        }
    }

    /**
     * ExportTraceServiceRequest.resource_spans (1) → ResourceSpans.scope_spans (2) → ScopeSpans.spans (2) →
     * Span.trace_id (1), and Span.attributes (9) → KeyValue.key (1).
     */
    private static List<byte[]> protobufTraceIds(byte[] body, Set<String> tagKeys) throws BadRequestException {
        List<byte[]> traceIds = new ArrayList<>();
        boolean resourceSpans = new Wire(body, 0, body.length).each(1, resource -> resource.each(2, scope -> scope.each(2,
                span -> {
                    Wire attributes = new Wire(span.bytes, span.position, span.limit);
                    traceIds.add(traceId(span));
                    attributes.each(9, keyValue -> keyValue.each(1, key -> addTraceTag(
                            new String(key.bytes, key.position, key.limit - key.position, StandardCharsets.UTF_8), tagKeys)));
                })));
        if (!resourceSpans) {
            throw new BadRequestException("The OTLP trace export has no resource spans.");
        }
        return traceIds;
    }

    private static byte[] traceId(Wire span) throws BadRequestException {
        Wire[] traceId = {null};
        span.each(1, value -> traceId[0] = value); // protobuf keeps the last value of a field given twice
        if (traceId[0] == null || traceId[0].position == traceId[0].limit) {
            throw new BadRequestException("A span has no trace id.");
        }
        return Arrays.copyOfRange(traceId[0].bytes, traceId[0].position, traceId[0].limit);
    }

    private interface FieldReader {
        void read(Wire value) throws BadRequestException;
    }

    /** A message in protobuf's wire format: bytes[position..limit). */
    private static final class Wire {

        private final byte[] bytes;
        private int position;
        private final int limit;

        Wire(byte[] bytes, int position, int limit) {
            this.bytes = bytes;
            this.position = position;
            this.limit = limit;
        }

        /** Reads each value of a length-delimited field, in order, and skips the other fields; whether there was one. */
        boolean each(int field, FieldReader reader) throws BadRequestException {
            boolean found = false;
            while (position < limit) {
                long tag = varint();
                if (tag >>> 3 == 0 || tag >>> 3 > 0x1fffffff) {
                    throw new BadRequestException("The protobuf body has a field number out of range.");
                }
                int wireType = (int) (tag & 7);
                if (tag >>> 3 == field) {
                    if (wireType != 2) {
                        throw new BadRequestException("The protobuf body has field " + field + " with wire type " + wireType + ".");
                    }
                    reader.read(lengthDelimited());
                    found = true;
                } else {
                    switch (wireType) {
                        case 0 -> varint();
                        case 1 -> skip(8);
                        case 2 -> lengthDelimited();
                        case 5 -> skip(4);
                        default -> throw new BadRequestException("The protobuf body has a group or wire type " + wireType + ".");
                    }
                }
            }
            return found;
        }

        private long varint() throws BadRequestException {
            long value = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                skip(1);
                byte b = bytes[position - 1];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new BadRequestException("The protobuf body has a varint longer than 10 bytes.");
        }

        private Wire lengthDelimited() throws BadRequestException {
            long length = varint();
            if (length < 0 || length > limit - position) {
                throw new BadRequestException("The protobuf body is truncated.");
            }
            Wire value = new Wire(bytes, position, position + (int) length);
            position += (int) length;
            return value;
        }

        private void skip(int length) throws BadRequestException {
            if (length > limit - position) {
                throw new BadRequestException("The protobuf body is truncated.");
            }
            position += length;
        }
    }

    /**
     * OTLP JSON as MLflow reads it: it turns hex into base64 only at resourceSpans[].scopeSpans[].spans[].traceId,
     * then protobuf's JSON parser reads either spelling of each field and every trace id as base64.
     */
    private static List<byte[]> jsonTraceIds(byte[] body, Set<String> tagKeys) throws BadRequestException {
        JsonNode request;
        try {
            request = MAPPER.readTree(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            throw new BadRequestException("The JSON body is not UTF-8.");
        } catch (IOException e) {
            throw new BadRequestException("The body is not valid JSON (" + e.getClass().getSimpleName()
                    + "); a key may be given at most once.");
        }
        if (!request.isObject()) {
            throw new BadRequestException("The JSON body must be an object.");
        }
        String resourceSpansKey = key(request, "resourceSpans", "resource_spans");
        List<JsonNode> resources = resourceSpansKey == null ? List.of() : objects(request, resourceSpansKey);
        if (resources.isEmpty()) {
            throw new BadRequestException("The OTLP trace export has no resource spans.");
        }
        List<byte[]> traceIds = new ArrayList<>();
        for (JsonNode resource : resources) {
            String scopeSpansKey = key(resource, "scopeSpans", "scope_spans");
            for (JsonNode scope : scopeSpansKey == null ? List.<JsonNode>of() : objects(resource, scopeSpansKey)) {
                for (JsonNode span : scope.has("spans") ? objects(scope, "spans") : List.<JsonNode>of()) {
                    String traceIdKey = key(span, "traceId", "trace_id");
                    JsonNode traceId = traceIdKey == null ? null : span.get(traceIdKey);
                    if (traceId == null || !traceId.isTextual() || traceId.textValue().isEmpty()) {
                        throw new BadRequestException("A span has no trace id.");
                    }
                    boolean hex = resourceSpansKey.equals("resourceSpans") && scopeSpansKey.equals("scopeSpans")
                            && traceIdKey.equals("traceId");
                    traceIds.add(hex ? hex(traceId.textValue()) : base64(traceId.textValue()));
                    if (span.has("attributes")) {
                        for (JsonNode attribute : objects(span, "attributes")) {
                            JsonNode key = attribute.get("key");
                            if (key != null && key.isTextual()) {
                                addTraceTag(key.textValue(), tagKeys);
                            }
                        }
                    }
                }
            }
        }
        return traceIds;
    }

    /** Which spelling of a field the object gives, if any: protobuf keeps the last of both, so both are refused. */
    private static String key(JsonNode object, String camelCase, String snakeCase) throws BadRequestException {
        if (object.has(camelCase) && object.has(snakeCase)) {
            throw new BadRequestException("The OTLP trace export gives both '" + camelCase + "' and '" + snakeCase + "'.");
        }
        return object.has(camelCase) ? camelCase : object.has(snakeCase) ? snakeCase : null;
    }

    private static List<JsonNode> objects(JsonNode object, String key) throws BadRequestException {
        JsonNode array = object.get(key);
        List<JsonNode> objects = new ArrayList<>();
        for (JsonNode element : array) {
            objects.add(element);
        }
        if (!array.isArray() || !objects.stream().allMatch(JsonNode::isObject)) {
            throw new BadRequestException("'" + key + "' must be a list of objects.");
        }
        return objects;
    }

    private static byte[] hex(String traceId) throws BadRequestException {
        if (!traceId.matches("[0-9a-fA-F]{32}")) {
            throw new BadRequestException("A span's traceId must be 32 hex digits.");
        }
        return HEX.parseHex(traceId);
    }

    /** Protobuf's JSON bytes: base64 in either alphabet; only the canonical forms of 16 bytes, which Python reads alike. */
    private static byte[] base64(String traceId) throws BadRequestException {
        String standard = traceId.replace('-', '+').replace('_', '/');
        if (!standard.matches("[A-Za-z0-9+/]{22}(==)?")) {
            throw new BadRequestException("A span's trace id spelled 'trace_id', or under 'resource_spans' or 'scope_spans',"
                    + " is read as base64, and must be 16 bytes of it.");
        }
        return Base64.getDecoder().decode(standard);
    }
}
