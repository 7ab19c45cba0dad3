package io.github.mlflowkeycloak.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mlflowkeycloak.route.RouteTable;
import org.junit.jupiter.api.Test;

class OwnershipPiecesTest {

    private static final RouteTable TABLE = RouteTable.mlflow();

    @Test
    void theGatewayReportsCreatesRenamesAndDeletesOfExperimentsAndModels() {
        assertThat(ObjectEvent.of(TABLE.lookup("POST", "/api/2.0/mlflow/experiments/create").orElseThrow()))
                .contains(ObjectEvent.EXPERIMENT_CREATED);
        assertThat(ObjectEvent.of(TABLE.lookup("POST", "/ajax-api/2.0/mlflow/experiments/create").orElseThrow()))
                .contains(ObjectEvent.EXPERIMENT_CREATED);
        assertThat(ObjectEvent.of(TABLE.lookup("POST", "/api/2.0/mlflow/registered-models/create").orElseThrow()))
                .contains(ObjectEvent.REGISTERED_MODEL_CREATED);
        assertThat(ObjectEvent.of(TABLE.lookup("POST", "/api/2.0/mlflow/registered-models/rename").orElseThrow()))
                .contains(ObjectEvent.REGISTERED_MODEL_RENAMED);
        assertThat(ObjectEvent.of(TABLE.lookup("DELETE", "/api/2.0/mlflow/registered-models/delete").orElseThrow()))
                .contains(ObjectEvent.REGISTERED_MODEL_DELETED);
        assertThat(ObjectEvent.of(TABLE.lookup("POST", "/api/2.0/mlflow/runs/create").orElseThrow())).isEmpty();
    }

    @Test
    void theSecretMatchesItselfOnly() {
        GatewaySecret secret = new GatewaySecret("0123456789abcdef0123");
        assertThat(secret.matches("0123456789abcdef0123")).isTrue();
        assertThat(secret.matches("0123456789abcdef012")).isFalse();
        assertThat(secret.matches("0123456789abcdef01234")).isFalse();
        assertThat(secret.matches(null)).isFalse();
        assertThat(secret.matches("")).isFalse();
    }

    @Test
    void withoutASecretNothingMatches() {
        assertThat(new GatewaySecret(null).matches("")).isFalse();
        assertThat(new GatewaySecret("  ").isConfigured()).isFalse();
        assertThatThrownBy(() -> new GatewaySecret("short")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSecretTheGatewayCouldNotSendIsRefused() {
        // In the gateway's template the secret is a quoted NGINX string: $ would start a variable.
        assertThatThrownBy(() -> new GatewaySecret("0123456789abcdef$request_uri")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GatewaySecret("0123456789abcdef\"")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GatewaySecret("0123456789abcdef 0")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new GatewaySecret("AZaz09._~+/=-AZaz09._~+/=-").isConfigured()).isTrue();
    }
}
