package io.github.mlflowkeycloak.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowkeycloak.identity.Credentials.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialsTest {

    @ParameterizedTest
    @ValueSource(strings = {"Bearer abc.def.ghi", "bearer abc.def.ghi", "BEARER abc.def.ghi", "  Bearer abc.def.ghi  "})
    void readsBearerTokens(String header) {
        Credentials credentials = Credentials.fromAuthorizationHeader(header);
        assertThat(credentials.kind()).isEqualTo(Kind.BEARER);
        assertThat(credentials.token()).isEqualTo("abc.def.ghi");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void seesNoCredentials(String header) {
        assertThat(Credentials.fromAuthorizationHeader(header).kind()).isEqualTo(Kind.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer ", "Basic ZGFuYTpkYW5h", "Bearerabc", "Bearer a b", "Bearer a\"b",
            "Token abc", "Bearer abc,def", "Bear abc"})
    void refusesOtherForms(String header) {
        Credentials credentials = Credentials.fromAuthorizationHeader(header);
        assertThat(credentials.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(credentials.token()).isNull();
    }
}
