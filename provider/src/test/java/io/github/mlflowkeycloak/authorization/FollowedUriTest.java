package io.github.mlflowkeycloak.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowkeycloak.route.ResourceKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FollowedUriTest {

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({
            "models:/churn/3,                                   REGISTERED_MODEL_NAME, churn",
            "models:/churn/Production,                          REGISTERED_MODEL_NAME, churn",
            "models:/churn@champion,                            REGISTERED_MODEL_NAME, churn",
            "models:/team@x@champion,                           REGISTERED_MODEL_NAME, team@x",
            "models:/m-0123456789abcdef,                        LOGGED_MODEL_ID,       m-0123456789abcdef",
            "prompts:/greeting/2,                               REGISTERED_MODEL_NAME, greeting",
            "prompts:/greeting@latest,                          REGISTERED_MODEL_NAME, greeting",
            "runs:/4f1e2d/model,                                RUN_ID,                4f1e2d",
            "runs:/4f1e2d,                                      RUN_ID,                4f1e2d",
            "mlflow-artifacts:/7/4f1e2d/artifacts/model,        EXPERIMENT_ID,         7",
            "mlflow-artifacts://localhost:8000/7/models/m-1,    EXPERIMENT_ID,         7",
    })
    void mlflowsOwnFormsNameTheirObject(String uri, ObjectReference reference, String value) {
        FollowedUri followed = FollowedUri.of(uri).orElseThrow();
        assertThat(followed.reference()).isEqualTo(reference);
        assertThat(followed.value()).isEqualTo(value);
        assertThat(followed.kind()).isEqualTo(reference == ObjectReference.REGISTERED_MODEL_NAME
                ? ResourceKind.REGISTERED_MODEL : ResourceKind.EXPERIMENT);
    }

    /** Anything else is left to those who manage the server: no lookup could vouch for it. */
    @ParameterizedTest
    @ValueSource(strings = {
            "/mlruns/7/abc/artifacts/model", "file:///etc", "s3://bucket/7/model", "http://internal:5001/x",
            "models://other/churn/1", "models:/churn/1/extra", "models:/", "models:/churn/", "models:/@alias",
            "prompts:/m-0123", "runs://host/4f1e2d/model", "runs:/", "mlflow-artifacts:/x7/abc", "mlflow-artifacts:7/abc",
            "mlflow-artifacts:/7/../8/abc", "mlflow-artifacts:/7/%2e%2e/8", "models:/churn%2f1", " models:/churn/1",
            "models:/churn/1?x=1", "models:/churn/1#f", "mlflow-artifacts:/7\\..\\8", "MODELS:/churn/1", "mlflow-artifacts://host",
            "runs:/./model"})
    void otherFormsNameNothingTheExtensionCanVouchFor(String uri) {
        assertThat(FollowedUri.of(uri)).isEmpty();
    }
}
