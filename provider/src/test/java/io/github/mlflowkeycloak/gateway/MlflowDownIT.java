package io.github.mlflowkeycloak.gateway;

import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static org.hamcrest.Matchers.equalTo;

import io.github.mlflowkeycloak.stack.LocalStack;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** With MLflow down, the gateway answers 502 in MLflow's JSON error shape, on both of its paths. */
@Order(Integer.MAX_VALUE - 1)
class MlflowDownIT {

    @BeforeAll
    static void stopMlflow() throws Exception {
        LocalStack.binStack("down", "mlflow");
    }

    @AfterAll
    static void startMlflowAgain() throws Exception {
        LocalStack.binStack("up", "mlflow");
    }

    @Test
    void theJsonApiSaysMlflowIsUnavailable() {
        assertUnavailable(gatewayAs("dana").get("/api/2.0/mlflow/experiments/search?max_results=1"));
    }

    @Test
    void artifactTransfersSayMlflowIsUnavailable() {
        assertUnavailable(gatewayAs("dana").get("/api/2.0/mlflow-artifacts/artifacts/0/r/artifacts/a.txt"));
    }

    private static void assertUnavailable(Response response) {
        response.then().statusCode(502)
                .contentType("application/json")
                .body("error_code", equalTo("TEMPORARILY_UNAVAILABLE"))
                .body("message", equalTo("The MLflow server is unavailable."));
    }
}
