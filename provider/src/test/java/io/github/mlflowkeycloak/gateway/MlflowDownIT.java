package io.github.mlflowkeycloak.gateway;

import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.UUID;

import io.github.mlflowkeycloak.stack.LocalStack;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * With MLflow down, the gateway answers 502 in MLflow's JSON error shape, on each of its paths;
 * a decision that needs MLflow is not taken (503).
 */
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

    @Test
    void aCreateSaysMlflowIsUnavailableAndNothingIsRecorded() {
        assertUnavailable(gatewayAs("alice").contentType(ContentType.JSON).body(Map.of("name", "down-" + UUID.randomUUID()))
                .post("/api/2.0/mlflow/experiments/create"));
    }

    @Test
    void aDecisionThatNeedsMlflowIsNotTakenWithoutIt() {
        // alice has no team-wide role: which experiment a run belongs to only MLflow can say.
        gatewayAs("alice").queryParam("run_id", "0123456789abcdef0123456789abcdef").get("/api/2.0/mlflow/runs/get")
                .then().statusCode(503).body("error_code", equalTo("TEMPORARILY_UNAVAILABLE"));
    }

    private static void assertUnavailable(Response response) {
        response.then().statusCode(502)
                .contentType("application/json")
                .body("error_code", equalTo("TEMPORARILY_UNAVAILABLE"))
                .body("message", equalTo("The MLflow server is unavailable."));
    }
}
