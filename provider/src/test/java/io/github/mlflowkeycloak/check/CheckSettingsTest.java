package io.github.mlflowkeycloak.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CheckSettingsTest {

    @Test
    void withoutAStaticPrefixEveryPathIsMlflows() {
        assertThat(new CheckSettings("mlflow", "", 5, 60, "mlflow-cli", "mlflow-ui").withoutStaticPrefix("/health")).contains("/health");
    }

    @Test
    void stripsTheStaticPrefixAndRefusesPathsOutsideIt() {
        CheckSettings settings = new CheckSettings("mlflow", "/mlflow", 5, 60, "mlflow-cli", "mlflow-ui");
        assertThat(settings.withoutStaticPrefix("/mlflow/api/2.0/mlflow/runs/get")).contains("/api/2.0/mlflow/runs/get");
        assertThat(settings.withoutStaticPrefix("/mlflow/")).contains("/");
        assertThat(settings.withoutStaticPrefix("/mlflow")).isEmpty();
        assertThat(settings.withoutStaticPrefix("/mlflowx/health")).isEmpty();
        assertThat(settings.withoutStaticPrefix("/api/2.0/mlflow/runs/get")).isEmpty();
        assertThat(settings.withoutStaticPrefix("/health")).isEmpty();
    }

    @Test
    void refusesAMalformedPrefix() {
        assertThatThrownBy(() -> new CheckSettings("mlflow", "mlflow", 5, 60, "mlflow-cli", "mlflow-ui")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CheckSettings("mlflow", "/mlflow/", 5, 60, "mlflow-cli", "mlflow-ui")).isInstanceOf(IllegalArgumentException.class);
    }
}
