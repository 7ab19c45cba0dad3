package io.github.mlflowkeycloak.gateway;

import static io.github.mlflowkeycloak.gateway.MlflowObjects.createExperiment;
import static io.github.mlflowkeycloak.gateway.MlflowObjects.createRun;
import static io.github.mlflowkeycloak.gateway.MlflowObjects.post;
import static io.github.mlflowkeycloak.stack.LocalStack.gateway;
import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static io.github.mlflowkeycloak.stack.LocalStack.mlflowLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A representative route of every kind through NGINX to the real MLflow, and the request shapes
 * where gateways have read a request differently from MLflow: HEAD, a DELETE with a text/plain
 * body, a GET with a body and no query string, the same id in two places.
 */
class GatewayRoutesIT {

    private static String experimentId;
    private static String runId;
    private static String modelName;

    @BeforeAll
    static void adminCreatesObjects() {
        experimentId = createExperiment("admin");
        runId = createRun("admin", experimentId);
        modelName = "model-" + UUID.randomUUID();
        post("admin", "/api/2.0/mlflow/registered-models/create", Map.of("name", modelName)).then().statusCode(200);
    }

    @ParameterizedTest(name = "{0}: {1} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "experiment|GET|/api/2.0/mlflow/experiments/get?experiment_id={experiment}|200",
            "experiment|POST|/api/2.0/mlflow/experiments/delete|403",
            "run|GET|/api/2.0/mlflow/runs/get?run_id={run}|200",
            "run|POST|/api/2.0/mlflow/runs/set-tag|403",
            "metric|GET|/api/2.0/mlflow/metrics/get-history?run_id={run}&metric_key=loss|200",
            "artifact|GET|/api/2.0/mlflow/artifacts/list?run_id={run}|200",
            "artifact|GET|/ajax-api/2.0/mlflow-artifacts/artifacts?path={experiment}/{run}/artifacts|200",
            "logged model|POST|/api/2.0/mlflow/logged-models/search|200",
            "trace|GET|/api/2.0/mlflow/traces?experiment_ids={experiment}|200",
            "trace|POST|/api/3.0/mlflow/traces/delete-traces|403",
            "dataset|POST|/api/3.0/mlflow/datasets/search|200",
            "registered model|GET|/api/2.0/mlflow/registered-models/get?name={model}|200",
            "registered model|DELETE|/api/2.0/mlflow/registered-models/delete|403",
            "model version|GET|/api/2.0/mlflow/model-versions/search?filter=name%3D%27{model}%27|200",
            "gateway|GET|/api/3.0/mlflow/gateway/endpoints/list|200",
            "gateway secret|GET|/api/3.0/mlflow/gateway/secrets/list|403",
            "server|GET|/api/2.0/mlflow/webhooks|403",
            "ui|GET|/ajax-api/3.0/mlflow/server-info|200",
    })
    void aViewerReachesWhatTheViewerRoleAllows(String kind, String method, String target, int status) {
        String resolved = target.replace("{experiment}", experimentId).replace("{run}", runId).replace("{model}", modelName);
        Map<String, Object> body = Map.of("experiment_id", experimentId, "experiment_ids", List.of(experimentId),
                "run_id", runId, "name", modelName, "key", "k", "value", "v", "max_timestamp_millis", 1);
        Response response = gatewayAs("victor").contentType(ContentType.JSON).urlEncodingEnabled(false)
                .body(method.equals("GET") ? Map.of() : body)
                .request(method, resolved);
        assertThat(response.statusCode()).as(kind + ": " + response.asString()).isEqualTo(status);
    }

    @Test
    void anAdminReachesServerSettings() {
        gatewayAs("admin").get("/api/2.0/mlflow/webhooks").then().statusCode(200);
    }

    @Test
    void graphQlIsDecidedPerField() {
        String getExperiment = "{ mlflowGetExperiment(input: {experimentId: \"" + experimentId + "\"}) { experiment { name } } }";
        post("victor", "/graphql", Map.of("query", getExperiment)).then().statusCode(200)
                .body("data.mlflowGetExperiment.experiment.name", org.hamcrest.Matchers.startsWith("it-"));
        post("victor", "/graphql", Map.of("query", "{ notAnMlflowField { x } }")).then().statusCode(403);
        post("victor", "/graphql", Map.of("query", "{ mlflowGetExperiment(")).then().statusCode(400);
        gatewayAs("victor").contentType(ContentType.JSON).body("not json").post("/graphql").then().statusCode(400);
    }

    @Test
    void headIsServedAsGetAndCheckedAsMlflowReadsIt() {
        gatewayAs("victor").head("/version").then().statusCode(200);
        gateway().head("/version").then().statusCode(401);
        // MLflow reads a HEAD's ids from its body, as for every method but GET.
        gatewayAs("victor").contentType(ContentType.JSON).body(Map.of("experiment_id", experimentId))
                .head("/api/2.0/mlflow/experiments/get").then().statusCode(200);
        gatewayAs("victor").head("/api/2.0/mlflow/runs/get?run_id=" + runId).then().statusCode(400);
        gatewayAs("admin").head("/api/2.0/mlflow/experiments/delete").then().statusCode(403);
    }

    @Test
    void aDeleteWithATextPlainBodyIsCheckedOnTheBodyMlflowReads() {
        String name = "text-plain-" + UUID.randomUUID();
        post("admin", "/api/2.0/mlflow/registered-models/create", Map.of("name", name)).then().statusCode(200);
        String body = "{\"name\": \"" + name + "\"}";

        gatewayAs("dana").contentType("text/plain").body(body).delete("/api/2.0/mlflow/registered-models/delete")
                .then().statusCode(403);
        gatewayAs("admin").queryParam("name", name).get("/api/2.0/mlflow/registered-models/get").then().statusCode(200);

        gatewayAs("admin").contentType("text/plain").body(body).delete("/api/2.0/mlflow/registered-models/delete")
                .then().statusCode(200);
        gatewayAs("admin").queryParam("name", name).get("/api/2.0/mlflow/registered-models/get").then().statusCode(404);
    }

    @Test
    void aGetWithABodyAndNoQueryStringIsReadFromTheBody() {
        gatewayAs("victor").contentType(ContentType.JSON).body(Map.of("run_id", runId))
                .get("/api/2.0/mlflow/runs/get")
                .then().statusCode(200).body("run.info.run_id", equalTo(runId));
    }

    @Test
    void anIdInTwoPlacesThatDisagreeIsABadRequestAndNeverReachesMlflow() throws Exception {
        String probe = "probe-" + UUID.randomUUID();
        gatewayAs("admin").contentType(ContentType.JSON).body(Map.of("run_id", probe))
                .get("/api/2.0/mlflow/runs/get?run_id=" + runId)
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        gatewayAs("admin").contentType("text/plain").body("{\"name\": \"" + probe + "\"}")
                .delete("/api/2.0/mlflow/registered-models/delete?name=" + modelName)
                .then().statusCode(400);
        gatewayAs("admin").contentType(ContentType.JSON).body("{\"run_id\": \"" + probe + "\", \"runId\": \"" + runId + "\"}")
                .post("/api/2.0/mlflow/runs/delete")
                .then().statusCode(400);
        gatewayAs("admin").contentType(ContentType.JSON).body("{\"run_id\": ")
                .post("/api/2.0/mlflow/runs/delete")
                .then().statusCode(400);
        assertThat(mlflowLog()).doesNotContain(probe);
        gatewayAs("admin").queryParam("name", modelName).get("/api/2.0/mlflow/registered-models/get").then().statusCode(200);
        assertThat(MlflowObjects.runLifecycleStage("admin", runId)).isEqualTo("active");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/get-artifact?run_id={run}&path=../../../etc/passwd",
            "/get-artifact?run_id={run}&path=%2e%2e/%2e%2e/x",
            "/get-artifact?run_id={run}&path=/etc/passwd",
            "/api/2.0/mlflow/artifacts/list?run_id={run}&path=file:/etc",
            "/ajax-api/2.0/mlflow-artifacts/artifacts?path=../..",
            "/api/2.0/mlflow-artifacts/artifacts/file:/etc/passwd",
    })
    void artifactPathsThatLeaveTheirPlaceAreRefused(String target) throws Exception {
        String probe = "probe-" + UUID.randomUUID();
        gatewayAs("admin").urlEncodingEnabled(false)
                .get(target.replace("{run}", runId) + "&probe=" + probe)
                .then().statusCode(403).body("error_code", equalTo("PERMISSION_DENIED"));
        assertThat(mlflowLog()).doesNotContain(probe);
    }

    @Test
    void aBadRequestOnTheStreamingPathIsA400NotA5xx() throws Exception {
        String probe = "probe-" + UUID.randomUUID();
        gatewayAs("admin").header("X-MLFLOW-WORKSPACE", "../admin")
                .get("/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/a.txt?probe=" + probe)
                .then().statusCode(400).contentType("application/json").body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        gatewayAs("admin").urlEncodingEnabled(false).contentType("application/octet-stream").body(new byte[] {1, 2, 3})
                .post("/ajax-api/2.0/mlflow/upload-artifact?run_uuid=%FF&path=a.txt&probe=" + probe)
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        assertThat(mlflowLog()).doesNotContain(probe);
    }

    @Test
    void aJsonBodyOverTheLimitIsRefusedWith413() {
        byte[] large = new byte[9 * 1024 * 1024];
        java.util.Arrays.fill(large, (byte) ' ');
        gatewayAs("admin").contentType(ContentType.JSON).body(large).post("/api/2.0/mlflow/runs/log-batch")
                .then().statusCode(413).body("error_code", equalTo("REQUEST_LIMIT_EXCEEDED"));
    }

    @Test
    void aMalformedWorkspaceHeaderIsABadRequestAndNeverReachesMlflow() throws Exception {
        String probe = "probe-" + UUID.randomUUID();
        gatewayAs("victor").header("X-MLFLOW-WORKSPACE", "../admin").queryParam("probe", probe)
                .get("/api/2.0/mlflow/experiments/search")
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        assertThat(mlflowLog()).doesNotContain(probe);
    }
}
