package io.github.mlflowkeycloak.gateway;

import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;

/** Creates MLflow objects through the gateway with MLflow's REST API, as a given user. */
final class MlflowObjects {

    private MlflowObjects() {
    }

    static String createExperiment(String user) {
        return gatewayAs(user).contentType(ContentType.JSON)
                .body(Map.of("name", "it-" + UUID.randomUUID()))
                .post("/api/2.0/mlflow/experiments/create")
                .then().statusCode(200)
                .extract().path("experiment_id");
    }

    static String createRun(String user, String experimentId) {
        return gatewayAs(user).contentType(ContentType.JSON)
                .body(Map.of("experiment_id", experimentId, "start_time", System.currentTimeMillis()))
                .post("/api/2.0/mlflow/runs/create")
                .then().statusCode(200)
                .extract().path("run.info.run_id");
    }

    static String runLifecycleStage(String user, String runId) {
        return gatewayAs(user).queryParam("run_id", runId)
                .get("/api/2.0/mlflow/runs/get")
                .then().statusCode(200)
                .extract().path("run.info.lifecycle_stage");
    }

    static String experimentLifecycleStage(String user, String experimentId) {
        return gatewayAs(user).queryParam("experiment_id", experimentId)
                .get("/api/2.0/mlflow/experiments/get")
                .then().statusCode(200)
                .extract().path("experiment.lifecycle_stage");
    }
}
