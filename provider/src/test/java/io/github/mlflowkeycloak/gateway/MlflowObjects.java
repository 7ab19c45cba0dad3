package io.github.mlflowkeycloak.gateway;

import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Creates MLflow objects through the gateway with MLflow's REST API, as a given user. */
public final class MlflowObjects {

    private MlflowObjects() {
    }

    /** A POST of a JSON body through the gateway, as the user. */
    public static Response post(String user, String path, Object body) {
        return gatewayAs(user).contentType(ContentType.JSON).body(body).post(path);
    }

    static String createExperiment(String user) {
        return createExperiment(user, "it-" + UUID.randomUUID());
    }

    /** @return the new experiment's id */
    public static String createExperiment(String user, String name) {
        return post(user, "/api/2.0/mlflow/experiments/create", Map.of("name", name))
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
