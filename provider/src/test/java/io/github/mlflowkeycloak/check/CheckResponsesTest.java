package io.github.mlflowkeycloak.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckResponsesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "dana|dana",
            "dana@example.com|dana@example.com",
            "d a n a|d a n a",
            "100%|100%25",
            "zoë|zo%C3%AB",
            "😀|%F0%9F%98%80",
    })
    void keepsIdentityHeadersToPrintableAscii(String value, String expected) {
        assertThat(CheckResponses.headerSafe(value)).isEqualTo(expected);
    }

    @Test
    void cannotSplitAHeader() {
        assertThat(CheckResponses.headerSafe("dana\r\nX-MLflow-User: admin"))
                .isEqualTo("dana%0D%0AX-MLflow-User: admin");
    }
}
