package io.github.mlflowkeycloak.attribution;

import static io.github.mlflowkeycloak.stack.LocalStack.gateway;
import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.mlflowkeycloak.stack.LocalStack;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MLflow records the signed-in user as the author of what it stores, whatever the client claims:
 * requests go through the gateway, and what MLflow stored is read from MLflow itself (its loopback
 * port, past the gateway).
 */
class AttributionIT {

    private static final Path SCRIPT = LocalStack.ROOT.resolve("provider/src/test/python/log_attributed.py");
    private static final String AUTHOR = "mlflow.user";

    private static String experimentId;

    @BeforeAll
    static void experiment() {
        experimentId = post("dana", "/api/2.0/mlflow/experiments/create", Map.of("name", "attribution-" + UUID.randomUUID()))
                .then().statusCode(200).extract().path("experiment_id");
    }

    @Test
    void theMlflowClientLogsAsTheSignedInUserWhateverItsEnvironmentSays() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(LocalStack.STACK_DIR.resolve("venv/bin/python").toString(), SCRIPT.toString(),
                "attribution-client-" + UUID.randomUUID(), "attribution-model-" + UUID.randomUUID())
                .redirectErrorStream(true);
        builder.environment().put("MLFLOW_TRACKING_URI", LocalStack.gatewayUrl());
        builder.environment().put("MLFLOW_TRACKING_TOKEN", LocalStack.token("dana"));
        // What MLflow's client records as the user: MLFLOW_TRACKING_USERNAME, else the login name.
        builder.environment().put("MLFLOW_TRACKING_USERNAME", "alice");
        builder.environment().put("LOGNAME", "alice");
        builder.environment().put("USER", "alice");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        // The ids, printed last on stdout; the client logs to stderr meanwhile, and as it exits.
        JsonPath logged = JsonPath.from(output.lines().filter(line -> line.startsWith("{\"experiment_id\"")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no ids printed:\n" + output)));

        JsonPath run = mlflow().queryParam("run_id", logged.getString("run_id")).get("/api/2.0/mlflow/runs/get")
                .then().statusCode(200).extract().jsonPath();
        assertThat(run.getString("run.info.user_id")).isEqualTo("dana");
        assertThat(tag(run, "run.data.tags", AUTHOR)).isEqualTo("dana");

        JsonPath trace = mlflow().get("/api/3.0/mlflow/traces/{id}", logged.getString("trace_id"))
                .then().statusCode(200).extract().jsonPath();
        assertThat(trace.getString("trace.trace_info.trace_metadata['mlflow.user']")).isEqualTo("dana");
        assertThat(trace.getList("trace.trace_info.assessments.source.source_id", String.class)).containsExactly("dana");

        JsonPath model = mlflow().get("/api/2.0/mlflow/logged-models/{id}", logged.getString("model_id"))
                .then().statusCode(200).extract().jsonPath();
        assertThat(tag(model, "model.info.tags", AUTHOR)).isEqualTo("dana");

        // MLflow records no author of a registered model or a model version: nothing the client says is kept.
        JsonPath version = mlflow().queryParam("name", logged.getString("model_name"))
                .queryParam("version", logged.getString("model_version"))
                .get("/api/2.0/mlflow/model-versions/get").then().statusCode(200).extract().jsonPath();
        assertThat(version.getString("model_version.user_id")).isNull();
        assertThat(version.getString("model_version.run_id")).isEqualTo(logged.getString("run_id"));
    }

    @Test
    void aRunCreatedWithAnotherUsersNameIsTheCallers() {
        String runId = post("dana", "/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId, "user_id", "alice",
                "run_name", "née 😀 \u0000", "start_time", 1_700_000_000_000L,
                "tags", List.of(Map.of("key", AUTHOR, "value", "alice"), Map.of("key", "team", "value", "ü"))))
                .then().statusCode(200).body("run.info.user_id", equalTo("dana")).extract().path("run.info.run_id");
        JsonPath run = storedRun(runId);
        assertThat(run.getString("run.info.user_id")).isEqualTo("dana");
        assertThat(tag(run, "run.data.tags", AUTHOR)).isEqualTo("dana");
        // Everything else as the client sent it.
        assertThat(run.getString("run.info.run_name")).isEqualTo("née 😀 \u0000");
        assertThat(run.getLong("run.info.start_time")).isEqualTo(1_700_000_000_000L);
        assertThat(tag(run, "run.data.tags", "team")).isEqualTo("ü");
    }

    @Test
    void aServiceAccountIsRecordedByItsServiceAccountUserName() {
        String runId = gateway().auth().preemptive().basic("ci-bot", "ci-bot-secret").contentType(ContentType.JSON)
                .body(Map.of("experiment_id", experimentId, "user_id", "ci-bot", "tags", List.of(Map.of("key", AUTHOR, "value", "ci-bot"))))
                .post("/api/2.0/mlflow/runs/create").then().statusCode(200).extract().path("run.info.run_id");
        JsonPath run = storedRun(runId);
        assertThat(run.getString("run.info.user_id")).isEqualTo("service-account-ci-bot");
        assertThat(tag(run, "run.data.tags", AUTHOR)).isEqualTo("service-account-ci-bot");
    }

    @Test
    void theAuthorOfAnExistingRunCannotBeChanged() {
        String runId = post("dana", "/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId))
                .then().statusCode(200).extract().path("run.info.run_id");
        post("dana", "/api/2.0/mlflow/runs/set-tag", Map.of("run_id", runId, "key", AUTHOR, "value", "dana"))
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE")).body("message", containsString(AUTHOR));
        post("dana", "/api/2.0/mlflow/runs/log-batch", Map.of("run_id", runId, "tags", List.of(Map.of("key", AUTHOR, "value", "bob"))))
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        post("dana", "/api/2.0/mlflow/runs/delete-tag", Map.of("run_id", runId, "key", AUTHOR))
                .then().statusCode(400);
        // Other tags as ever.
        post("dana", "/api/2.0/mlflow/runs/set-tag", Map.of("run_id", runId, "key", "note", "value", "x")).then().statusCode(200);
        JsonPath run = storedRun(runId);
        assertThat(tag(run, "run.data.tags", AUTHOR)).isNull();
        assertThat(tag(run, "run.data.tags", "note")).isEqualTo("x");
    }

    @Test
    void aTraceItsTagsAndItsHumanAssessmentsAreTheCallers() {
        String traceId = "tr-" + HexFormat.of().formatHex(randomBytes(16));
        post("dana", "/api/3.0/mlflow/traces", Map.of("trace", Map.of("trace_info", Map.of(
                "trace_id", traceId,
                "trace_location", Map.of("type", "MLFLOW_EXPERIMENT", "mlflow_experiment", Map.of("experiment_id", experimentId)),
                "request_time", "2026-01-01T00:00:00Z", "state", "OK",
                "trace_metadata", Map.of(AUTHOR, "alice", "mlflow.trace.user", "end-user-42"),
                "tags", Map.of(AUTHOR, "alice", "topic", "x")))))
                .then().statusCode(200);
        post("dana", "/api/3.0/mlflow/traces/" + traceId + "/assessments", Map.of("assessment", Map.of(
                "trace_id", traceId, "assessment_name", "helpful", "feedback", Map.of("value", true),
                "source", Map.of("source_type", "HUMAN", "source_id", "alice")))).then().statusCode(200);
        post("dana", "/api/3.0/mlflow/traces/" + traceId + "/assessments", Map.of("assessment", Map.of(
                "trace_id", traceId, "assessment_name", "relevant", "feedback", Map.of("value", 0.5),
                "source", Map.of("source_type", "LLM_JUDGE", "source_id", "gpt-4o-mini")))).then().statusCode(200);
        gatewayAs("dana").contentType(ContentType.JSON).body(Map.of("key", AUTHOR, "value", "dana"))
                .patch("/api/3.0/mlflow/traces/{id}/tags", traceId).then().statusCode(400);
        gatewayAs("dana").contentType(ContentType.JSON).body(Map.of("key", AUTHOR))
                .delete("/api/3.0/mlflow/traces/{id}/tags", traceId).then().statusCode(400);

        JsonPath trace = mlflow().get("/api/3.0/mlflow/traces/{id}", traceId).then().statusCode(200).extract().jsonPath();
        assertThat(trace.getString("trace.trace_info.trace_metadata['mlflow.user']")).isEqualTo("dana");
        // The application's own end user is the application's to say.
        assertThat(trace.getString("trace.trace_info.trace_metadata['mlflow.trace.user']")).isEqualTo("end-user-42");
        assertThat(trace.getString("trace.trace_info.tags['mlflow.user']")).isEqualTo("dana");
        assertThat(trace.getString("trace.trace_info.tags.topic")).isEqualTo("x");
        assertThat(trace.getMap("trace.trace_info.assessments.find { it.assessment_name == 'helpful' }.source"))
                .containsEntry("source_id", "dana");
        assertThat(trace.getMap("trace.trace_info.assessments.find { it.assessment_name == 'relevant' }.source"))
                .containsEntry("source_id", "gpt-4o-mini");
    }

    @Test
    void anOtlpExportCannotSayWhoCreatedItsTrace() {
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String export = """
                {"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "%s", "spanId": "%s", "name": "root",
                  "startTimeUnixNano": "1700000000000000000", "endTimeUnixNano": "1700000001000000000",
                  "attributes": [{"key": "mlflow.traceTag.mlflow.user", "value": {"stringValue": "alice"}}]}]}]}]}"""
                .formatted(traceId, HexFormat.of().formatHex(randomBytes(8)));
        gatewayAs("dana").contentType(ContentType.JSON).header("X-Mlflow-Experiment-Id", experimentId).body(export)
                .post("/v1/traces").then().statusCode(400).body("message", containsString(AUTHOR));
        mlflow().get("/api/3.0/mlflow/traces/{id}", "tr-" + traceId).then().statusCode(404);
    }

    @Test
    void evaluationDatasetsAndTheirRecordsAreTheCallers() {
        String datasetId = post("dana", "/api/3.0/mlflow/datasets/create", Map.of("name", "attribution-" + UUID.randomUUID(),
                "experiment_ids", List.of(experimentId), "created_by", "alice", "tags", "{\"mlflow.user\": \"alice\", \"team\": \"a\"}"))
                .then().statusCode(200).extract().path("dataset.dataset_id");
        post("dana", "/api/3.0/mlflow/datasets/" + datasetId + "/records", Map.of("updated_by", "alice",
                "records", "[{\"inputs\": {\"question\": \"q\"}, \"tags\": {\"mlflow.user\": \"alice\"}}]"))
                .then().statusCode(200);
        gatewayAs("dana").contentType(ContentType.JSON).body(Map.of("tags", "{\"mlflow.user\": \"dana\"}"))
                .patch("/api/3.0/mlflow/datasets/{id}/tags", datasetId).then().statusCode(400);

        JsonPath dataset = mlflow().get("/api/3.0/mlflow/datasets/{id}", datasetId).then().statusCode(200).extract().jsonPath();
        assertThat(dataset.getString("dataset.created_by")).isEqualTo("dana");
        assertThat(dataset.getString("dataset.last_updated_by")).isEqualTo("dana");
        JsonPath records = JsonPath.from(mlflow().get("/api/3.0/mlflow/datasets/{id}/records", datasetId)
                .then().statusCode(200).extract().jsonPath().getString("records"));
        assertThat(records.getString("[0].created_by")).isEqualTo("dana");
        assertThat(records.getString("[0].tags['mlflow.user']")).isEqualTo("dana");
    }

    @Test
    void issuesAreCreatedByTheCaller() {
        String issueId = post("dana", "/api/3.0/mlflow/issues", Map.of("experiment_id", experimentId, "name", "slow answers",
                "description", "p99 over 2 s", "created_by", "alice"))
                .then().statusCode(200).extract().path("issue.issue_id");
        mlflow().get("/api/3.0/mlflow/issues/{id}", issueId).then().statusCode(200).body("issue.created_by", equalTo("dana"));
    }

    @Test
    void aRegisteredModelsOwnerAndAuthorAreTheCaller() {
        String name = "attribution-" + UUID.randomUUID();
        post("alice", "/api/2.0/mlflow/registered-models/create", Map.of("name", name, "tags", List.of(Map.of("key", AUTHOR, "value", "bob"))))
                .then().statusCode(200);
        mlflow().queryParam("name", name).get("/api/2.0/mlflow/registered-models/get").then().statusCode(200)
                .body("registered_model.tags.find { it.key == 'mlflow.user' }.value", equalTo("alice"));
        // The create was reported with the body MLflow received: alice owns the model (she has no role that reads every model).
        gatewayAs("alice").queryParam("name", name).get("/api/2.0/mlflow/registered-models/get").then().statusCode(200);
        gatewayAs("bob").queryParam("name", name).get("/api/2.0/mlflow/registered-models/get").then().statusCode(404);
    }

    private static Response post(String user, String path, Object body) {
        return gatewayAs(user).contentType(ContentType.JSON).body(body).post(path);
    }

    /** MLflow itself, past the gateway: what it stored. */
    private static RequestSpecification mlflow() {
        return given().baseUri(LocalStack.mlflowDirectUrl());
    }

    private static JsonPath storedRun(String runId) {
        return mlflow().queryParam("run_id", runId).get("/api/2.0/mlflow/runs/get").then().statusCode(200).extract().jsonPath();
    }

    private static String tag(JsonPath json, String tags, String key) {
        return json.getString(tags + ".find { it.key == '" + key + "' }.value");
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
