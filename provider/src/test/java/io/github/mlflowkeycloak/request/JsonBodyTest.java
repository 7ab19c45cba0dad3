package io.github.mlflowkeycloak.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What Python's {@code json} cannot read, Flask hands MLflow as no body at all: such a body must
 * never be read here as one with ids.
 */
class JsonBodyTest {

    @Test
    void readsNestingUpToSixtyFourLevels() throws Exception {
        assertThat(JsonBody.parse(nested(64)).field("a")).isNotNull();
        assertThatThrownBy(() -> JsonBody.parse(nested(65))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("nested deeper than 64 levels");
        // MLflow answers such a body with a 500 (Python's recursion limit)
        assertThatThrownBy(() -> JsonBody.parse(nested(990))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("64");
    }

    @Test
    void readsThePythonNonFiniteNumbersAndNoOthers() throws Exception {
        JsonBody body = JsonBody.parse(bytes("{\"a\": NaN, \"b\": Infinity, \"c\": -Infinity, \"d\": 1e400}"));
        assertThat(body.field("a").doubleValue()).isNaN();
        assertThat(body.field("c").doubleValue()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(body.field("d").doubleValue()).isEqualTo(Double.POSITIVE_INFINITY);
        for (String literal : List.of("+INF", "-INF", "+Infinity")) {
            assertThatThrownBy(() -> JsonBody.parse(bytes("{\"experiment_ids\": [\"1\"], \"x\": " + literal + "}")))
                    .as(literal).isInstanceOf(BadRequestException.class).hasMessageContaining(literal);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"C0AF", "80", "E282", "EDA080", "F4908080", "FE", "FF"})
    void refusesBytesThatAreNotUtf8(String hex) {
        byte[] invalid = HexFormat.of().parseHex(hex);
        byte[] prefix = bytes("{\"experiment_ids\": [\"1\"], \"x\": \"");
        byte[] body = new byte[prefix.length + invalid.length + 2];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(invalid, 0, body, prefix.length, invalid.length);
        body[body.length - 2] = '"';
        body[body.length - 1] = '}';
        assertThatThrownBy(() -> JsonBody.parse(body)).isInstanceOf(BadRequestException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void readsOneUtf8ByteOrderMarkAsPythonDoes() throws Exception {
        assertThat(JsonBody.parse(bytes("\uFEFF{\"a\": \"é\"}")).values("a")).containsExactly("é");
        assertThatThrownBy(() -> JsonBody.parse(bytes("\uFEFF\uFEFF{}"))).isInstanceOf(BadRequestException.class);
    }

    @Test
    void readsADoubleEncodedBodyAsTextKeepingItsEscapes() throws Exception {
        // The inner body is a Python str: a lone surrogate stays one, for the message's checks to see.
        assertThat(JsonBody.parse(bytes("\"{\\\"a\\\": \\\"\\\\ud800\\\"}\"")).values("a")).containsExactly("\ud800");
        assertThatThrownBy(() -> JsonBody.parse(bytes("\"\\ufeff{}\""))).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> JsonBody.parse(bytes("\"\""))).isInstanceOf(BadRequestException.class);
    }

    @Test
    void refusesNumbersLongerThanPythonConverts() {
        assertThatThrownBy(() -> JsonBody.parse(bytes("{\"a\": 1" + "0".repeat(4300) + "}"))).isInstanceOf(BadRequestException.class);
    }

    private static byte[] nested(int levels) {
        return bytes("{\"a\": ".repeat(levels) + "1" + "}".repeat(levels));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
