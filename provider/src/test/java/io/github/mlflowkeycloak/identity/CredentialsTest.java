package io.github.mlflowkeycloak.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialsTest {

    @ParameterizedTest
    @ValueSource(strings = {"Bearer abc.def.ghi", "bearer abc.def.ghi", "BEARER abc.def.ghi", "  Bearer abc.def.ghi  "})
    void readsBearerTokens(String header) {
        assertThat(Credentials.fromAuthorizationHeader(header)).isEqualTo(new Credentials.Bearer("abc.def.ghi"));
    }

    @Test
    void readsServiceAccountsFromBasic() {
        assertThat(Credentials.fromAuthorizationHeader("Basic " + base64("ci-bot:ci-bot-secret")))
                .isEqualTo(new Credentials.Basic("ci-bot", "ci-bot-secret"));
        assertThat(Credentials.fromAuthorizationHeader("basic " + base64("ci-bot:a:b")))
                .isEqualTo(new Credentials.Basic("ci-bot", "a:b"));
    }

    @Test
    void neverShowsASecret() {
        assertThat(Credentials.fromAuthorizationHeader("Basic " + base64("ci-bot:s3cret")).toString()).doesNotContain("s3cret");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void seesNoCredentials(String header) {
        assertThat(Credentials.fromAuthorizationHeader(header)).isInstanceOf(Credentials.None.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer ", "Bearerabc", "Bearer a b", "Bearer a\"b", "Token abc", "Bearer abc,def",
            "Bear abc", "Basic", "Basic !!!", "Basic bm9jb2xvbg==", "Basic OnNlY3JldA==", "Basic dXNlcjo=", "Digest abc"})
    void refusesOtherForms(String header) {
        assertThat(Credentials.fromAuthorizationHeader(header)).isInstanceOf(Credentials.Unsupported.class);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
