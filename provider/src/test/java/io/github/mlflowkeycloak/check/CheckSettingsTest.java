package io.github.mlflowkeycloak.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CheckSettingsTest {

    private static CheckSettings settings(String staticPrefix) {
        return new CheckSettings("mlflow", staticPrefix, 5, 60, "mlflow-cli", "mlflow-ui", "http://127.0.0.1:5001", null, 100, 10, 1000);
    }

    @Test
    void withoutAStaticPrefixEveryPathIsMlflows() {
        assertThat(settings("").withoutStaticPrefix("/health")).contains("/health");
    }

    @Test
    void stripsTheStaticPrefixAndRefusesPathsOutsideIt() {
        CheckSettings settings = settings("/mlflow");
        assertThat(settings.withoutStaticPrefix("/mlflow/api/2.0/mlflow/runs/get")).contains("/api/2.0/mlflow/runs/get");
        assertThat(settings.withoutStaticPrefix("/mlflow/")).contains("/");
        assertThat(settings.withoutStaticPrefix("/mlflow")).isEmpty();
        assertThat(settings.withoutStaticPrefix("/mlflowx/health")).isEmpty();
        assertThat(settings.withoutStaticPrefix("/api/2.0/mlflow/runs/get")).isEmpty();
        assertThat(settings.withoutStaticPrefix("/health")).isEmpty();
    }

    @Test
    void refusesAMalformedPrefix() {
        assertThatThrownBy(() -> settings("mlflow")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings("/mlflow/")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAnMlflowUrlThatIsNotHttp() {
        assertThatThrownBy(() -> new CheckSettings("mlflow", "", 5, 60, "mlflow-cli", "mlflow-ui", "mlflow:5001", null, 100, 10, 1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mlflow-url");
    }
}
