package io.github.mlflowkeycloak.gateway;

import static io.github.mlflowkeycloak.gateway.MlflowObjects.createExperiment;
import static io.github.mlflowkeycloak.gateway.MlflowObjects.createRun;
import static io.github.mlflowkeycloak.gateway.MlflowObjects.experimentLifecycleStage;
import static io.github.mlflowkeycloak.gateway.MlflowObjects.post;
import static io.github.mlflowkeycloak.gateway.MlflowObjects.runLifecycleStage;
import static io.github.mlflowkeycloak.stack.LocalStack.gateway;
import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The team-wide roles of the mlflow client: viewer reads, editor does all but delete, admin all. */
class RolePermissionsIT {

    private String experimentId;
    private String runId;

    @BeforeEach
    void adminCreatesAnExperimentWithARun() {
        experimentId = createExperiment("admin");
        runId = createRun("admin", experimentId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api", "/ajax-api"})
    @Tag("smoke")
    void anEditorCannotDeleteAnotherUsersRunOrExperiment(String prefix) {
        post("dana", prefix + "/2.0/mlflow/runs/delete", Map.of("run_id", runId))
                .then().statusCode(403)
                .body("error_code", equalTo("PERMISSION_DENIED"));
        post("dana", prefix + "/2.0/mlflow/experiments/delete", Map.of("experiment_id", experimentId))
                .then().statusCode(403)
                .body("error_code", equalTo("PERMISSION_DENIED"));

        assertThat(runLifecycleStage("admin", runId)).isEqualTo("active");
        assertThat(experimentLifecycleStage("admin", experimentId)).isEqualTo("active");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api", "/ajax-api"})
    void anAdminDeletes(String prefix) {
        post("admin", prefix + "/2.0/mlflow/runs/delete", Map.of("run_id", runId)).then().statusCode(200);
        assertThat(runLifecycleStage("admin", runId)).isEqualTo("deleted");
        post("admin", prefix + "/2.0/mlflow/experiments/delete", Map.of("experiment_id", experimentId)).then().statusCode(200);
        assertThat(experimentLifecycleStage("admin", experimentId)).isEqualTo("deleted");
    }

    @Test
    void anEditorWritesWhatAnAdminCreated() {
        post("dana", "/api/2.0/mlflow/runs/log-metric",
                Map.of("run_id", runId, "key", "accuracy", "value", 0.75, "timestamp", 1, "step", 0))
                .then().statusCode(200);
        post("dana", "/api/2.0/mlflow/runs/set-tag", Map.of("run_id", runId, "key", "reviewed", "value", "yes"))
                .then().statusCode(200);
        Response run = gatewayAs("victor").queryParam("run_id", runId).get("/api/2.0/mlflow/runs/get");
        assertThat(run.<List<Map<String, Object>>>path("run.data.metrics")).extracting(m -> m.get("key")).contains("accuracy");
    }

    @Test
    void aViewerReads() {
        gatewayAs("victor").queryParam("experiment_id", experimentId).get("/api/2.0/mlflow/experiments/get")
                .then().statusCode(200).body("experiment.experiment_id", equalTo(experimentId));
        gatewayAs("victor").queryParam("run_id", runId).get("/api/2.0/mlflow/runs/get")
                .then().statusCode(200).body("run.info.run_id", equalTo(runId));
        post("victor", "/api/2.0/mlflow/runs/search", Map.of("experiment_ids", List.of(experimentId)))
                .then().statusCode(200).body("runs[0].info.run_id", equalTo(runId));
        gatewayAs("victor").queryParam("max_results", 5).get("/api/2.0/mlflow/experiments/search").then().statusCode(200);
        gatewayAs("victor").queryParam("run_id", runId).queryParam("metric_key", "loss")
                .get("/api/2.0/mlflow/metrics/get-history").then().statusCode(200);
        gatewayAs("victor").queryParam("run_id", runId).get("/api/2.0/mlflow/artifacts/list").then().statusCode(200);
    }

    @Test
    void aViewerCannotWriteAnythingOfOthers() {
        String name = "victor-" + UUID.randomUUID();
        List<Response> writes = List.of(
                post("victor", "/api/2.0/mlflow/experiments/update", Map.of("experiment_id", experimentId, "new_name", name)),
                post("victor", "/api/2.0/mlflow/experiments/set-experiment-tag",
                        Map.of("experiment_id", experimentId, "key", "k", "value", "v")),
                post("victor", "/api/2.0/mlflow/experiments/delete", Map.of("experiment_id", experimentId)),
                post("victor", "/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId)),
                post("victor", "/api/2.0/mlflow/runs/log-metric",
                        Map.of("run_id", runId, "key", "sneaky", "value", 1, "timestamp", 1)),
                post("victor", "/api/2.0/mlflow/runs/log-parameter", Map.of("run_id", runId, "key", "sneaky", "value", "1")),
                post("victor", "/api/2.0/mlflow/runs/log-batch",
                        Map.of("run_id", runId, "tags", List.of(Map.of("key", "sneaky", "value", "1")))),
                post("victor", "/api/2.0/mlflow/runs/set-tag", Map.of("run_id", runId, "key", "sneaky", "value", "1")),
                post("victor", "/api/2.0/mlflow/runs/update", Map.of("run_id", runId, "status", "FAILED")),
                post("victor", "/api/2.0/mlflow/runs/delete", Map.of("run_id", runId)),
                gatewayAs("victor").contentType("text/plain").body("sneaky")
                        .put("/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/sneaky.txt"));
        assertThat(writes).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.<String>path("error_code")).isEqualTo("PERMISSION_DENIED");
        });

        Response run = gatewayAs("admin").queryParam("run_id", runId).get("/api/2.0/mlflow/runs/get");
        assertThat(run.<String>path("run.info.status")).isEqualTo("RUNNING");
        assertThat(run.<Object>path("run.data.metrics")).isNull();
        assertThat(run.<Object>path("run.data.params")).isNull();
        List<Map<String, String>> tags = run.path("run.data.tags");
        assertThat(tags == null ? List.<Map<String, String>>of() : tags).noneMatch(tag -> tag.get("key").equals("sneaky"));
        gatewayAs("admin").queryParam("experiment_id", experimentId).get("/api/2.0/mlflow/experiments/get")
                .then().statusCode(200).body("experiment.name", org.hamcrest.Matchers.not(name));
        gatewayAs("admin").queryParam("run_id", runId).queryParam("path", "")
                .get("/api/2.0/mlflow/artifacts/list").then().statusCode(200).body("files", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aViewerCreatesAndOwnsExperimentsAndModelsOfTheirOwn() {
        String name = "victor-" + UUID.randomUUID();
        String own = post("victor", "/api/2.0/mlflow/experiments/create", Map.of("name", name))
                .then().statusCode(200).extract().path("experiment_id");
        post("victor", "/api/2.0/mlflow/experiments/set-experiment-tag", Map.of("experiment_id", own, "key", "k", "value", "v"))
                .then().statusCode(200);
        post("victor", "/api/2.0/mlflow/registered-models/create", Map.of("name", name)).then().statusCode(200);
        gatewayAs("victor").contentType(ContentType.JSON).body(Map.of("name", name, "description", "mine"))
                .patch("/api/2.0/mlflow/registered-models/update").then().statusCode(200);
    }

    @Test
    void deniedRequestsSayWhichScopeWasMissing() {
        post("victor", "/api/2.0/mlflow/runs/delete", Map.of("run_id", runId))
                .then().statusCode(403)
                .body("message", startsWith("Permission denied: this needs the 'delete' scope on the experiment it names, or on every experiment."))
                .body("message", containsString("a role of the client 'mlflow'"));
    }
}
