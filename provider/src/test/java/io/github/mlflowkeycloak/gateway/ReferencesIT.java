package io.github.mlflowkeycloak.gateway;

import static io.github.mlflowkeycloak.gateway.MlflowObjects.createExperiment;
import static io.github.mlflowkeycloak.gateway.MlflowObjects.createRun;
import static io.github.mlflowkeycloak.gateway.MlflowObjects.post;
import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.github.mlflowkeycloak.stack.LocalStack;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a request names indirectly is checked too: values MLflow follows to other objects (model
 * version sources, logged models inside metrics, artifact locations, gateway endpoints and
 * secrets), creates that would land on an existing object, and tags MLflow trusts. Alice and bob
 * hold no team-wide role; each owns an experiment. MLflow's own state is checked afterwards.
 */
class ReferencesIT {

    private String alicesExperiment;
    private String alicesRun;
    private String bobsExperiment;
    private String bobsRun;

    @BeforeEach
    void aliceAndBobEachHaveAnExperimentWithARun() {
        alicesExperiment = createExperiment("alice", "alice-" + UUID.randomUUID());
        alicesRun = createRun("alice", alicesExperiment);
        bobsExperiment = createExperiment("bob", "bob-" + UUID.randomUUID());
        bobsRun = createRun("bob", bobsExperiment);
    }

    private static String newTraceId() {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return "tr-" + HexFormat.of().formatHex(id);
    }

    private static Response createTraceV3(String user, String traceId, String experimentId, Map<String, String> tags) {
        return post(user, "/api/3.0/mlflow/traces", Map.of("trace", Map.of("trace_info", Map.of(
                "trace_id", traceId,
                "trace_location", Map.of("type", "MLFLOW_EXPERIMENT", "mlflow_experiment", Map.of("experiment_id", experimentId)),
                "request_time", "2026-01-01T00:00:00Z", "state", "OK", "tags", tags))));
    }

    private static String traceExperiment(String user, String traceId) {
        return gatewayAs(user).get("/api/3.0/mlflow/traces/" + traceId).then().statusCode(200)
                .extract().path("trace.trace_info.trace_location.mlflow_experiment.experiment_id");
    }

    @Test
    void aTraceCreateNamingAlicesTraceDoesNotMoveItIntoBobsExperiment() {
        String alicesTrace = newTraceId();
        createTraceV3("alice", alicesTrace, alicesExperiment, Map.of("owner", "alice")).then().statusCode(200);

        createTraceV3("bob", alicesTrace, bobsExperiment, Map.of()).then().statusCode(403);
        // Not even alice moves it: an object's experiment never changes behind the gateway's caches.
        createTraceV3("alice", alicesTrace, bobsExperiment, Map.of()).then().statusCode(403);

        assertThat(traceExperiment("alice", alicesTrace)).isEqualTo(alicesExperiment);
        gatewayAs("bob").get("/api/3.0/mlflow/traces/" + alicesTrace).then().statusCode(403);
        // Logging the same trace again into its own experiment, and a new trace into bob's, still work.
        createTraceV3("alice", alicesTrace, alicesExperiment, Map.of("owner", "alice")).then().statusCode(200);
        String bobsTrace = newTraceId();
        createTraceV3("bob", bobsTrace, bobsExperiment, Map.of()).then().statusCode(200);
        assertThat(traceExperiment("bob", bobsTrace)).isEqualTo(bobsExperiment);
    }

    private static Response exportSpans(String user, String experimentId, String runId, String traceId) {
        return exportSpans(user, experimentId, runId, traceId, "[]");
    }

    private static Response exportSpans(String user, String experimentId, String runId, String traceId, String attributes) {
        String otlp = "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"" + traceId.substring(3)
                + "\", \"spanId\": \"0123456789abcdef\", \"name\": \"" + user + "\", \"startTimeUnixNano\": \"1000000\","
                + " \"endTimeUnixNano\": \"2000000\", \"attributes\": " + attributes + "}]}]}]}";
        var request = gatewayAs(user).contentType(ContentType.JSON).header("X-Mlflow-Experiment-Id", experimentId).body(otlp);
        return (runId == null ? request : request.header("X-Mlflow-Run-Id", runId)).post("/v1/traces");
    }

    @Test
    void spansExportedIntoBobsExperimentCannotJoinAlicesTraceNorLinkToHerRun() {
        String alicesTrace = newTraceId();
        exportSpans("alice", alicesExperiment, null, alicesTrace).then().statusCode(200);
        String spans = gatewayAs("alice").get("/api/3.0/mlflow/traces/get?trace_id=" + alicesTrace).asString();

        exportSpans("bob", bobsExperiment, null, alicesTrace).then().statusCode(403);
        String bobsTrace = newTraceId();
        exportSpans("bob", bobsExperiment, alicesRun, bobsTrace).then().statusCode(403);

        assertThat(traceExperiment("alice", alicesTrace)).isEqualTo(alicesExperiment);
        assertThat(gatewayAs("alice").get("/api/3.0/mlflow/traces/get?trace_id=" + alicesTrace).asString()).isEqualTo(spans)
                .doesNotContain("\"bob\"");
        gatewayAs("bob").get("/api/3.0/mlflow/traces/" + bobsTrace).then().statusCode(403);
        // Into his own experiment and run, bob exports as before.
        exportSpans("bob", bobsExperiment, bobsRun, bobsTrace).then().statusCode(200);
        assertThat(traceExperiment("bob", bobsTrace)).isEqualTo(bobsExperiment);
    }

    @Test
    void aTraceTagThatSaysWhereTraceDataLivesIsSetByMlflowAlone() {
        String bobsTrace = newTraceId();
        String alicesData = "mlflow-artifacts:/" + alicesExperiment + "/traces/x/artifacts";
        createTraceV3("bob", bobsTrace, bobsExperiment, Map.of("mlflow.artifactLocation", alicesData))
                .then().statusCode(403).body("message", containsString("mlflow.artifactLocation"));
        createTraceV3("bob", bobsTrace, bobsExperiment, Map.of()).then().statusCode(200);
        List<Response> tagWrites = List.of(
                gatewayAs("bob").contentType(ContentType.JSON).body(Map.of("key", "mlflow.artifactLocation", "value", alicesData))
                        .patch("/api/3.0/mlflow/traces/" + bobsTrace + "/tags"),
                gatewayAs("bob").contentType(ContentType.JSON).body(Map.of("key", "mlflow.artifactLocation", "value", alicesData))
                        .patch("/api/2.0/mlflow/traces/" + bobsTrace + "/tags"),
                gatewayAs("bob").contentType(ContentType.JSON).body(Map.of("key", "mlflow.trace.spansLocation", "value", "ARCHIVE_REPO"))
                        .patch("/api/3.0/mlflow/traces/" + bobsTrace + "/tags"),
                post("bob", "/api/2.0/mlflow/traces", Map.of("experiment_id", bobsExperiment, "timestamp_ms", 1,
                        "tags", List.of(Map.of("key", "mlflow.artifactLocation", "value", alicesData)))));
        assertThat(tagWrites).allSatisfy(response -> assertThat(response.statusCode()).as(response.asString()).isEqualTo(403));

        Map<String, String> tags = gatewayAs("bob").get("/api/3.0/mlflow/traces/" + bobsTrace).then().statusCode(200)
                .extract().path("trace.trace_info.tags");
        assertThat(tags.get("mlflow.artifactLocation")).startsWith("mlflow-artifacts:/" + bobsExperiment + "/");
        assertThat(tags).doesNotContainKey("mlflow.trace.spansLocation");
        // Nor through an OTLP export, whose root span's mlflow.traceTag.<key> attributes become trace tags.
        String spansElsewhere = "[{\"key\": \"mlflow.traceTag.mlflow.trace.spansLocation\", \"value\": {\"stringValue\": \"ARTIFACT_REPO\"}},"
                + " {\"key\": \"mlflow.traceTag.mlflow.artifactLocation\", \"value\": {\"stringValue\": \"" + alicesData + "\"}}]";
        String exported = newTraceId();
        exportSpans("bob", bobsExperiment, null, exported, spansElsewhere)
                .then().statusCode(403).body("message", containsString("mlflow.trace"));
        gatewayAs("bob").get("/api/3.0/mlflow/traces/" + exported).then().statusCode(403);
        exportSpans("bob", bobsExperiment, null, exported, "[{\"key\": \"mlflow.traceTag.stage\", \"value\": {\"stringValue\": \"dev\"}}]")
                .then().statusCode(200);
        assertThat(gatewayAs("bob").get("/api/3.0/mlflow/traces/" + exported).then().statusCode(200)
                .extract().<Map<String, String>>path("trace.trace_info.tags")).containsEntry("stage", "dev");
        // Other tags are bob's to set.
        gatewayAs("bob").contentType(ContentType.JSON).body(Map.of("key", "stage", "value", "dev"))
                .patch("/api/3.0/mlflow/traces/" + bobsTrace + "/tags").then().statusCode(200);
    }

    @Test
    void aModelVersionCopiedFromAlicesModelNeedsReadOnIt() {
        String alicesModel = "alice-model-" + UUID.randomUUID();
        post("alice", "/api/2.0/mlflow/registered-models/create", Map.of("name", alicesModel)).then().statusCode(200);
        post("alice", "/api/2.0/mlflow/model-versions/create", Map.of("name", alicesModel, "source", "runs:/" + alicesRun + "/model",
                "run_id", alicesRun)).then().statusCode(200);
        String bobsModel = "bob-model-" + UUID.randomUUID();
        post("bob", "/api/2.0/mlflow/registered-models/create", Map.of("name", bobsModel)).then().statusCode(200);

        List<Response> copies = List.of(
                post("bob", "/api/2.0/mlflow/model-versions/create", Map.of("name", bobsModel, "source", "models:/" + alicesModel + "/1")),
                post("bob", "/api/2.0/mlflow/model-versions/create", Map.of("name", bobsModel, "source", "models:/" + alicesModel + "@champion")),
                post("bob", "/api/2.0/mlflow/model-versions/create", Map.of("name", bobsModel,
                        "source", "mlflow-artifacts:/" + alicesExperiment + "/" + alicesRun + "/artifacts/model", "run_id", bobsRun)),
                post("bob", "/api/2.0/mlflow/model-versions/create", Map.of("name", bobsModel, "source", "runs:/" + alicesRun + "/model")),
                // Sources MLflow would fetch from the server's disk or another store: for those who manage the server.
                post("bob", "/api/2.0/mlflow/model-versions/create", Map.of("name", bobsModel, "source", "file:///etc")),
                post("bob", "/api/2.0/mlflow/model-versions/create", Map.of("name", bobsModel, "source", "s3://bucket/model")),
                post("bob", "/api/2.0/mlflow/model-versions/create", Map.of("name", bobsModel, "source",
                        "mlflow-artifacts:/" + bobsExperiment + "/%2e%2e/" + alicesExperiment + "/model")));
        assertThat(copies).allSatisfy(response -> assertThat(response.statusCode()).as(response.asString()).isEqualTo(403));

        gatewayAs("bob").queryParam("name", bobsModel).get("/api/2.0/mlflow/registered-models/get")
                .then().statusCode(200).body("registered_model.latest_versions", equalTo(null));
        // From his own run, bob registers as before.
        post("bob", "/api/2.0/mlflow/model-versions/create", Map.of("name", bobsModel, "source", "runs:/" + bobsRun + "/model",
                "run_id", bobsRun)).then().statusCode(200).body("model_version.version", equalTo("1"));
    }

    @Test
    void aModelNamedLikeAlicesInOtherCaseIsAnotherModel() {
        String alicesModel = "alice-case-" + UUID.randomUUID();
        post("alice", "/api/2.0/mlflow/registered-models/create", Map.of("name", alicesModel, "description", "alice's")).then().statusCode(200);
        String upper = alicesModel.toUpperCase(java.util.Locale.ROOT);
        post("bob", "/api/2.0/mlflow/registered-models/create", Map.of("name", upper)).then().statusCode(200);
        String bobsOther = "bob-tmp-" + UUID.randomUUID();
        post("bob", "/api/2.0/mlflow/registered-models/create", Map.of("name", bobsOther)).then().statusCode(200);
        post("bob", "/api/2.0/mlflow/registered-models/rename", Map.of("name", bobsOther, "new_name", "Alice" + alicesModel.substring(5)))
                .then().statusCode(200);

        gatewayAs("bob").queryParam("name", alicesModel).get("/api/2.0/mlflow/registered-models/get").then().statusCode(404);
        post("bob", "/api/2.0/mlflow/registered-models/set-tag", Map.of("name", alicesModel, "key", "bob", "value", "1"))
                .then().statusCode(403);
        gatewayAs("alice").queryParam("name", alicesModel).get("/api/2.0/mlflow/registered-models/get")
                .then().statusCode(200).body("registered_model.description", equalTo("alice's"))
                .body("registered_model.tags", equalTo(null));
        gatewayAs("bob").queryParam("name", upper).get("/api/2.0/mlflow/registered-models/get").then().statusCode(200);
    }

    @Test
    void anOwnerWithoutARoleRegistersPromptVersions() {
        String prompt = "alice-prompt-" + UUID.randomUUID();
        post("alice", "/api/2.0/mlflow/registered-models/create", Map.of("name", prompt,
                "tags", List.of(Map.of("key", "mlflow.prompt.is_prompt", "value", "true")))).then().statusCode(200);
        post("alice", "/api/2.0/mlflow/model-versions/create", Map.of("name", prompt, "source", "dummy-source",
                "tags", List.of(Map.of("key", "mlflow.prompt.is_prompt", "value", "true"),
                        Map.of("key", "mlflow.prompt.text", "value", "Hello {{name}}")))).then().statusCode(200);
        // The placeholder names nothing: on a model that is not a prompt, MLflow itself refuses it.
        String bobsModel = "bob-model-" + UUID.randomUUID();
        post("bob", "/api/2.0/mlflow/registered-models/create", Map.of("name", bobsModel)).then().statusCode(200);
        post("bob", "/api/2.0/mlflow/model-versions/create", Map.of("name", bobsModel, "source", "prompt-template"))
                .then().statusCode(400);
    }

    @Test
    void aNameKeycloakCannotRecordIsRefusedBeforeMlflowCreatesIt() {
        String name = "alice-long-" + "x".repeat(300);
        post("alice", "/api/2.0/mlflow/registered-models/create", Map.of("name", name))
                .then().statusCode(400).body("message", containsString("238"));
        gatewayAs("admin").queryParam("name", name).get("/api/2.0/mlflow/registered-models/get").then().statusCode(404);
        post("alice", "/api/2.0/mlflow/experiments/create", Map.of("name", name)).then().statusCode(400);
    }

    @Test
    void anArtifactLocationOfItsOwnIsForThoseWhoManageTheServer() {
        for (String location : List.of("mlflow-artifacts:/" + alicesExperiment, "/tmp/bob-" + UUID.randomUUID(), "s3://bucket/x")) {
            String name = "bob-located-" + UUID.randomUUID();
            post("bob", "/api/2.0/mlflow/experiments/create", Map.of("name", name, "artifact_location", location))
                    .then().statusCode(403).body("message", containsString("'manage' scope on the MLflow server"));
            gatewayAs("admin").queryParam("experiment_name", name).get("/api/2.0/mlflow/experiments/get-by-name")
                    .then().statusCode(404);
        }
        String name = "admin-located-" + UUID.randomUUID();
        post("admin", "/api/2.0/mlflow/experiments/create", Map.of("name", name, "artifact_location", "/tmp/" + name))
                .then().statusCode(200);
    }

    @Test
    void metricsOfALoggedModelInABatchNeedItsExperiment() {
        String alicesModel = post("alice", "/api/2.0/mlflow/logged-models", Map.of("experiment_id", alicesExperiment, "name", "m"))
                .then().statusCode(200).extract().path("model.info.model_id");
        String bobsModel = post("bob", "/api/2.0/mlflow/logged-models", Map.of("experiment_id", bobsExperiment, "name", "m"))
                .then().statusCode(200).extract().path("model.info.model_id");
        Map<String, Object> onAlicesModel = Map.of("key", "bob", "value", 1, "timestamp", 1, "step", 0, "model_id", alicesModel);
        post("bob", "/api/2.0/mlflow/runs/log-batch", Map.of("run_id", bobsRun, "metrics", List.of(onAlicesModel)))
                .then().statusCode(403);
        Map<String, Object> onBobsModel = Map.of("key", "bob", "value", 1, "timestamp", 1, "step", 0, "model_id", bobsModel);
        post("bob", "/api/2.0/mlflow/runs/log-batch", Map.of("run_id", bobsRun, "metrics", List.of(onBobsModel)))
                .then().statusCode(200);
        // A metric's own run_id is another run: bob's batch cannot slip one onto alice's.
        post("bob", "/api/2.0/mlflow/runs/log-batch", Map.of("run_id", bobsRun, "metrics",
                List.of(Map.of("key", "bob", "value", 1, "timestamp", 1, "step", 0, "run_id", alicesRun)))).then().statusCode(403);

        Object alicesMetrics = gatewayAs("alice").get("/api/2.0/mlflow/logged-models/" + alicesModel).then().statusCode(200)
                .extract().path("model.data.metrics");
        assertThat(String.valueOf(alicesMetrics)).doesNotContain("bob");
        Response alicesRunNow = gatewayAs("alice").queryParam("run_id", alicesRun).get("/api/2.0/mlflow/runs/get");
        assertThat(alicesRunNow.asString()).doesNotContain("\"bob\"");
    }

    @Test
    void finalizingALoggedModelNeedsTheOneInTheBodyWhichMlflowFinalizes() {
        String alicesModel = post("alice", "/api/2.0/mlflow/logged-models", Map.of("experiment_id", alicesExperiment, "name", "m"))
                .then().statusCode(200).extract().path("model.info.model_id");
        String bobsModel = post("bob", "/api/2.0/mlflow/logged-models", Map.of("experiment_id", bobsExperiment, "name", "m"))
                .then().statusCode(200).extract().path("model.info.model_id");
        gatewayAs("bob").contentType(ContentType.JSON).body(Map.of("model_id", alicesModel, "status", "LOGGED_MODEL_UPLOAD_FAILED"))
                .patch("/api/2.0/mlflow/logged-models/" + bobsModel).then().statusCode(403);
        gatewayAs("alice").get("/api/2.0/mlflow/logged-models/" + alicesModel).then().statusCode(200)
                .body("model.info.status", equalTo("LOGGED_MODEL_PENDING"));
        gatewayAs("bob").contentType(ContentType.JSON).body(Map.of("model_id", bobsModel, "status", "LOGGED_MODEL_READY"))
                .patch("/api/2.0/mlflow/logged-models/" + bobsModel).then().statusCode(200)
                .body("model.info.status", equalTo("LOGGED_MODEL_READY"));
    }

    @Test
    void aTraceCreatedWithAssessmentsCannotNameOthersItOverrides() {
        Map<String, Object> overriding = Map.of("assessment_name", "x", "source", Map.of("source_type", "HUMAN", "source_id", "bob"),
                "feedback", Map.of("value", "y"), "overrides", "a-0123456789abcdef0123456789abcdef");
        post("bob", "/api/3.0/mlflow/traces", Map.of("trace", Map.of("trace_info", Map.of("trace_id", newTraceId(),
                "trace_location", Map.of("type", "MLFLOW_EXPERIMENT", "mlflow_experiment", Map.of("experiment_id", bobsExperiment)),
                "request_time", "2026-01-01T00:00:00Z", "state", "OK", "assessments", List.of(overriding)))))
                .then().statusCode(403).body("message", containsString("'manage' scope on the MLflow server"));
    }

    @Test
    void detectingIssuesWithTheServersLlmKeysNeedsTheGateway() {
        String bobsTrace = newTraceId();
        createTraceV3("bob", bobsTrace, bobsExperiment, Map.of()).then().statusCode(200);
        Map<String, Object> byEndpoint = Map.of("experiment_id", bobsExperiment, "trace_ids", List.of(bobsTrace),
                "endpoint_name", "admins-endpoint");
        Map<String, Object> bySecret = Map.of("experiment_id", bobsExperiment, "trace_ids", List.of(bobsTrace),
                "provider", "openai", "model", "gpt-4o", "secret_id", "admins-secret");
        post("bob", "/ajax-api/3.0/mlflow/issues/invoke", byEndpoint)
                .then().statusCode(403).body("message", containsString("'use' scope on MLflow's AI gateway"));
        post("bob", "/ajax-api/3.0/mlflow/issues/invoke", bySecret).then().statusCode(403);
        // dana (editor) may use gateway endpoints, not secrets: those are for gateway managers.
        post("dana", "/ajax-api/3.0/mlflow/issues/invoke", Map.of("experiment_id", bobsExperiment, "trace_ids", List.of(bobsTrace),
                "provider", "openai", "model", "gpt-4o", "secret_id", "admins-secret"))
                .then().statusCode(403).body("message", containsString("'manage' scope on MLflow's AI gateway"));
    }

    @Test
    void theMetricHistoriesOfSeveralRunsNeedEveryOne() {
        String bobsOtherRun = createRun("bob", bobsExperiment);
        gatewayAs("bob").queryParam("run_id", bobsRun, bobsOtherRun).queryParam("metric_key", "loss")
                .get("/ajax-api/2.0/mlflow/metrics/get-history-bulk").then().statusCode(200);
        gatewayAs("bob").queryParam("run_id", bobsRun, alicesRun).queryParam("metric_key", "loss")
                .get("/ajax-api/2.0/mlflow/metrics/get-history-bulk").then().statusCode(403);
    }

    @Test
    void anIdRepeatedIsDecidedOnceAndTooManyObjectsAreRefusedWithTheLimit() {
        List<String> sameExperiment = Collections.nCopies(100_000, bobsExperiment);
        post("bob", "/api/2.0/mlflow/runs/search", Map.of("experiment_ids", sameExperiment, "max_results", 1))
                .then().statusCode(200).body("runs[0].info.run_id", equalTo(bobsRun));
        List<String> distinct = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            distinct.add(String.valueOf(1_000_000 + i));
        }
        post("bob", "/api/2.0/mlflow/runs/search", Map.of("experiment_ids", distinct))
                .then().statusCode(400).body("message", containsString("more than 1000 distinct objects"));
    }

    @Test
    void aMadeUpIdIsAskedOfMlflowOnceAndRefusedAsAnExistingOneIs() throws Exception {
        String madeUp = UUID.randomUUID().toString().replace("-", "");
        gatewayAs("bob").queryParam("run_id", madeUp).get("/api/2.0/mlflow/runs/get").then().statusCode(403);
        gatewayAs("bob").queryParam("run_id", alicesRun).get("/api/2.0/mlflow/runs/get").then().statusCode(403);
        gatewayAs("bob").queryParam("run_id", madeUp).get("/api/2.0/mlflow/runs/get").then().statusCode(403);
        long asked = LocalStack.mlflowLog().lines().filter(line -> line.contains(madeUp)).count();
        assertThat(asked).as("lookups of the made-up id in MLflow's log").isEqualTo(1);
    }
}
