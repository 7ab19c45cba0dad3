package io.github.mlflowkeycloak.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bodies under otlp/ and the ids MLflow reads from them come from
 * provider/src/test/python/otlp_bodies.py, which posts each body to MLflow's own export_traces.
 */
class OtlpTraceIdsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROTOBUF = "application/x-protobuf";

    /** A body MLflow answers, with its status and the trace ids of the spans it logs. */
    record Case(String file, String contentType, String contentEncoding, int mlflowStatus, List<String> traceIds,
                String refused) {

        byte[] body() {
            return resource(file);
        }

        @Override
        public String toString() {
            return file + (refused != null ? " (" + refused + ")" : "");
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (JsonNode node : tree("cases.json")) {
            List<String> ids = new ArrayList<>();
            node.get("traceIds").forEach(id -> ids.add(id.textValue()));
            cases.add(new Case(node.get("file").textValue(), node.get("contentType").textValue(),
                    node.get("contentEncoding").textValue(), node.get("mlflowStatus").intValue(), ids,
                    node.get("refused").textValue()));
        }
        return cases;
    }

    static Stream<Case> readByMlflow() {
        return cases().stream().filter(c -> c.mlflowStatus() == 200 && c.refused() == null);
    }

    static Stream<Case> refusedByMlflow() {
        return cases().stream().filter(c -> c.mlflowStatus() != 200);
    }

    static Stream<Case> readOtherwiseByMlflow() {
        return cases().stream().filter(c -> c.refused() != null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readByMlflow")
    void readsTheTraceIdsMlflowReads(Case c) throws Exception {
        assertThat(OtlpTraceIds.read(c.body(), c.contentType(), c.contentEncoding())).containsExactlyElementsOf(c.traceIds());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedByMlflow")
    void refusesWhatMlflowRefuses(Case c) {
        assertThatThrownBy(() -> OtlpTraceIds.read(c.body(), c.contentType(), c.contentEncoding()))
                .isInstanceOf(BadRequestException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readOtherwiseByMlflow")
    void refusesWhatMlflowReadsButCouldBeReadAnotherWay(Case c) {
        assertThatThrownBy(() -> OtlpTraceIds.read(c.body(), c.contentType(), c.contentEncoding()))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void theFixturesCoverEachKindOfBody() {
        assertThat(readByMlflow().count()).isGreaterThanOrEqualTo(20);
        assertThat(refusedByMlflow().count()).isGreaterThanOrEqualTo(20);
        assertThat(readOtherwiseByMlflow().count()).isGreaterThanOrEqualTo(10);
        assertThat(readByMlflow()).anyMatch(c -> c.traceIds().size() == 3 && c.contentType().startsWith("application/json"));
    }

    @Test
    void readsTheIdsMlflowReadsFromMutatedBodiesOrRefusesThem() {
        int read = 0;
        for (JsonNode mutation : tree("mutations.json")) {
            byte[] body = Base64.getDecoder().decode(mutation.get("body").textValue());
            List<String> expected = new ArrayList<>();
            mutation.get("traceIds").forEach(id -> expected.add(id.textValue()));
            try {
                Set<String> ids = OtlpTraceIds.read(body, mutation.get("contentType").textValue(),
                        mutation.get("contentEncoding").textValue());
                assertThat(ids).as(mutation.get("body").textValue()).containsExactlyElementsOf(expected);
                read++;
            } catch (BadRequestException refused) {
                // stricter than MLflow: allowed
            }
        }
        assertThat(read).as("mutated bodies read as MLflow reads them").isGreaterThan(100);
    }

    @Test
    void fuzzedBodiesGiveIdsOrBadRequestOnly() {
        Random random = new Random(20260509);
        List<Case> bases = readByMlflow().toList();
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            Case base = bases.get(random.nextInt(bases.size()));
            byte[] body = mutate(random, base.body());
            try {
                OtlpTraceIds.read(body, base.contentType(), base.contentEncoding());
            } catch (BadRequestException e) {
                refused++;
            } catch (RuntimeException | StackOverflowError e) {
                fail(base.file() + " mutated to " + Base64.getEncoder().encodeToString(body) + " threw " + e, e);
            }
        }
        assertThat(refused).isBetween(1000, 19_000);
    }

    @Test
    void refusesAZipBomb() throws Exception {
        byte[] bomb = new byte[OtlpTraceIds.MAX_DECOMPRESSED + 1];
        assertThatThrownBy(() -> OtlpTraceIds.read(gzip(bomb), PROTOBUF, "gzip"))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("decompresses to more than");
        assertThatThrownBy(() -> OtlpTraceIds.read(deflate(bomb, new Deflater(9, true)), PROTOBUF, "deflate"))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("decompresses to more than");
        // the limit is of all gzip members together
        byte[] half = gzip(new byte[OtlpTraceIds.MAX_DECOMPRESSED / 2 + 1]);
        byte[] members = new byte[half.length * 2];
        System.arraycopy(half, 0, members, 0, half.length);
        System.arraycopy(half, 0, members, half.length, half.length);
        assertThatThrownBy(() -> OtlpTraceIds.read(members, PROTOBUF, "gzip"))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("decompresses to more than");
    }

    @Test
    void readsJavasOwnCompressionAsMlflowDoes() throws Exception {
        byte[] body = resource("several.pb");
        Set<String> ids = OtlpTraceIds.read(body, PROTOBUF, null);
        assertThat(OtlpTraceIds.read(gzip(body), PROTOBUF, "gzip")).isEqualTo(ids);
        assertThat(OtlpTraceIds.read(deflate(body, new Deflater()), PROTOBUF, "deflate")).isEqualTo(ids);
        assertThat(OtlpTraceIds.read(deflate(body, new Deflater(1, true)), PROTOBUF, "deflate")).isEqualTo(ids);
    }

    @Test
    void readsAnEmptyContentEncodingAsNone() throws Exception {
        assertThat(OtlpTraceIds.read(resource("small.pb"), PROTOBUF, "")).hasSize(2);
    }

    @Test
    void readsANullBodyAsAnEmptyOne() {
        assertThatThrownBy(() -> OtlpTraceIds.read(null, PROTOBUF, null)).hasMessageContaining("no resource spans");
        assertThatThrownBy(() -> OtlpTraceIds.read(null, PROTOBUF, "gzip")).hasMessageContaining("no resource spans");
    }

    @Test
    void refusesWhatNoReaderAgreesOn() {
        String[] bodies = {
            // a JSON trace id neither string nor hex, and the same field twice in one span
            "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": [\"0af7651916cd43dd8448eb211c80319c\"]}]}]}]}",
            "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"\"}]}]}]}",
            "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"0af7651916cd43dd8448eb211c80319c\","
                    + " \"traceId\": \"4bf92f3577b34da6a3ce929d0e0e4736\"}]}]}]}",
            // lists that are not lists of objects
            "{\"resourceSpans\": {\"scopeSpans\": []}}",
            "{\"resourceSpans\": [{\"scopeSpans\": [null]}]}",
            "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": {}}]}]}",
            "{\"resource_spans\": [{\"scope_spans\": null}]}",
            // base64 that is not canonical, or not 16 bytes
            "{\"resource_spans\": [{\"scope_spans\": [{\"spans\": [{\"trace_id\": \"AAECAwQFBgcICQoLDA0ODw=\"}]}]}]}",
            "{\"resource_spans\": [{\"scope_spans\": [{\"spans\": [{\"trace_id\": \"AAECAwQFBgcICQoLDA0O\"}]}]}]}",
            // not UTF-8, NaN where a list belongs, a UTF-8 byte order mark
            "{\"resourceSpans\": [{}], \"x\": \"\u00ff\"}",
            "{\"resourceSpans\": NaN}",
            "\ufeff{\"resourceSpans\": [{}]}",
        };
        for (String body : bodies) {
            byte[] bytes = body.getBytes(body.contains("\u00ff") ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
            assertThatThrownBy(() -> OtlpTraceIds.read(bytes, "application/json", null)).as(body)
                    .isInstanceOf(BadRequestException.class);
        }
        // protobuf: a varint of 11 bytes, a field number 0, a length past the end, wire types 6 and 7
        byte[][] protobuf = {
            {0x10, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, (byte) 0x80, 0x01},
            {0x00, 0x01},
            {0x0a, 0x05, 0x00},
            {0x16},
            {0x17},
        };
        for (byte[] body : protobuf) {
            assertThatThrownBy(() -> OtlpTraceIds.read(body, PROTOBUF, null)).isInstanceOf(BadRequestException.class);
        }
    }

    /** MLflow turns a span attribute mlflow.traceTag.<key> into the trace's tag <key>: the tags are read, in both encodings. */
    @Test
    void readsTheTraceTagsSpanAttributesSet() throws Exception {
        String json = "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"0123456789abcdef0123456789abcdef\","
                + " \"attributes\": [{\"key\": \"mlflow.traceTag.mlflow.artifactLocation\", \"value\": {\"stringValue\": \"x\"}},"
                + " {\"key\": \"mlflow.spanType\", \"value\": {\"stringValue\": \"LLM\"}}]}]}]}]}";
        assertThat(OtlpTraceIds.readExport(json.getBytes(StandardCharsets.UTF_8), "application/json", null).traceTagKeys())
                .containsExactly("mlflow.artifactLocation");

        byte[] traceId = HexFormat.of().parseHex("0123456789abcdef0123456789abcdef");
        byte[] key = "mlflow.traceTag.stage".getBytes(StandardCharsets.UTF_8);
        byte[] keyValue = concat(new byte[] {0x0a, (byte) key.length}, key);
        byte[] span = concat(new byte[] {0x0a, 16}, traceId, new byte[] {0x4a, (byte) keyValue.length}, keyValue);
        byte[] scope = concat(new byte[] {0x12, (byte) span.length}, span);
        byte[] resource = concat(new byte[] {0x12, (byte) scope.length}, scope);
        byte[] export = concat(new byte[] {0x0a, (byte) resource.length}, resource);
        OtlpTraceIds.Export read = OtlpTraceIds.readExport(export, PROTOBUF, null);
        assertThat(read.traceIds()).containsExactly("tr-0123456789abcdef0123456789abcdef");
        assertThat(read.traceTagKeys()).containsExactly("stage");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] mutate(Random random, byte[] body) {
        List<Byte> bytes = new ArrayList<>(body.length + 8);
        for (byte b : body) {
            bytes.add(b);
        }
        for (int op = 0, ops = 1 + random.nextInt(3); op < ops; op++) {
            int i = random.nextInt(bytes.size() + 1);
            switch (random.nextInt(5)) {
                case 0 -> bytes.add(i, (byte) random.nextInt(256));
                case 1 -> {
                    if (i < bytes.size()) {
                        bytes.set(i, (byte) (bytes.get(i) ^ (1 << random.nextInt(8))));
                    }
                }
                case 2 -> bytes.subList(i, Math.min(bytes.size(), i + 1 + random.nextInt(4))).clear();
                case 3 -> {
                    int j = random.nextInt(bytes.size() + 1);
                    bytes.addAll(i, new ArrayList<>(bytes.subList(Math.min(i, j), Math.min(Math.max(i, j), Math.min(i, j) + 64))));
                }
                default -> bytes.subList(i, bytes.size()).clear();
            }
        }
        byte[] mutated = new byte[bytes.size()];
        for (int i = 0; i < mutated.length; i++) {
            mutated[i] = bytes.get(i);
        }
        return mutated;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] data, Deflater deflater) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, deflater)) {
            deflate.write(data);
        }
        deflater.end();
        return out.toByteArray();
    }

    private static JsonNode tree(String file) {
        try {
            return JSON.readTree(resource(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String file) {
        try (InputStream in = OtlpTraceIdsTest.class.getResourceAsStream("otlp/" + file)) {
            if (in == null) {
                throw new IllegalStateException("no fixture otlp/" + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
