package io.github.mlflowkeycloak.gateway;

import static io.github.mlflowkeycloak.gateway.MlflowObjects.createExperiment;
import static io.github.mlflowkeycloak.gateway.MlflowObjects.createRun;
import static io.github.mlflowkeycloak.gateway.MlflowObjects.post;
import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests MLflow reads otherwise than they look: a body its protobuf parser gives up on half
 * way (MLflow then acts on what it parsed, without the ids that came later), JSON Python cannot
 * read (MLflow then sees no body), GraphQL variables that take their defaults, JSON nested past
 * what MLflow's parser survives. Through NGINX, as bob, with alice's objects in the store.
 */
class RequestReadingIT {

    private String alicesExperiment;
    private String alicesExperimentName;
    private String alicesRun;
    private String bobsExperiment;
    private String bobsRun;

    @BeforeEach
    void aliceAndBobEachHaveAnExperimentWithARun() {
        alicesExperimentName = "alice-" + UUID.randomUUID();
        alicesExperiment = createExperiment("alice", alicesExperimentName);
        alicesRun = createRun("alice", alicesExperiment);
        post("alice", "/api/2.0/mlflow/runs/log-parameter", Map.of("run_id", alicesRun, "key", "secret", "value", "alices-value"))
                .then().statusCode(200);
        bobsExperiment = createExperiment("bob", "bob-" + UUID.randomUUID());
        bobsRun = createRun("bob", bobsExperiment);
    }

    private static Response postRaw(String user, String path, String json) {
        return gatewayAs(user).contentType(ContentType.JSON).body(json).post(path);
    }

    @Test
    void aBodyMlflowWouldParseOnlyInPartIsRefused() {
        List<String> halfParsed = List.of(
                "{\"max_results\": 1.5, \"experiment_ids\": [\"" + bobsExperiment + "\"]}",
                "{\"max_results\": \"+INF\", \"experiment_ids\": [\"" + bobsExperiment + "\"]}",
                "{\"max_results\": 1e40, \"experiment_ids\": [\"" + bobsExperiment + "\"]}",
                "{\"order_by\": 7, \"experiment_ids\": [\"" + bobsExperiment + "\"]}");
        for (String body : halfParsed) {
            for (String path : List.of("/api/3.0/mlflow/datasets/search", "/api/2.0/mlflow/runs/search")) {
                Response response = postRaw("bob", path, body);
                assertThat(response.statusCode()).as(path + " " + body + ": " + response.asString()).isEqualTo(400);
                assertThat(response.asString()).doesNotContain(alicesExperimentName).doesNotContain(alicesRun);
            }
        }
        // The same search, typed as MLflow's client types it, is bob's to make.
        postRaw("bob", "/api/2.0/mlflow/runs/search", "{\"max_results\": 10, \"experiment_ids\": [\"" + bobsExperiment + "\"]}")
                .then().statusCode(200).body("runs[0].info.run_id", equalTo(bobsRun));
        // A GET's query is parsed as MLflow parses it too.
        gatewayAs("bob").queryParam("max_results", "abc").queryParam("experiment_ids", bobsExperiment)
                .get("/api/3.0/mlflow/datasets/search").then().statusCode(400);
    }

    @Test
    void jsonPythonCannotReadIsRefusedNotReadAsNoBody() {
        List<String> unreadable = List.of(
                "{\"experiment_ids\": [\"" + bobsExperiment + "\"], \"x\": +INF}",
                "{\"experiment_ids\": [\"" + bobsExperiment + "\"], \"x\": +Infinity}");
        for (String body : unreadable) {
            Response response = postRaw("bob", "/api/3.0/mlflow/datasets/search", body);
            assertThat(response.statusCode()).as(body + ": " + response.asString()).isEqualTo(400);
        }
        byte[] overlong = ("{\"experiment_ids\": [\"" + bobsExperiment + "\"], \"x\": \"\u0000\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        overlong[overlong.length - 3] = (byte) 0xC0;
        overlong[overlong.length - 2] = (byte) 0xAF;
        gatewayAs("bob").contentType(ContentType.JSON).body(overlong).post("/api/3.0/mlflow/datasets/search").then().statusCode(400);
    }

    @Test
    void jsonNestedTooDeeplyIsA400NotMlflowsCrash() {
        String deep = "[".repeat(990) + "]".repeat(990);
        postRaw("bob", "/api/2.0/mlflow/runs/log-batch", "{\"run_id\": \"" + bobsRun + "\", \"tags\": " + deep + "}")
                .then().statusCode(400).body("message", containsString("64"));
        postRaw("bob", "/api/2.0/mlflow/experiments/search", "{\"x\": " + deep + "}").then().statusCode(400);
    }

    @Test
    void aGraphQlVariableLeftOutTakesItsDefaultAndThatIsChecked() {
        String query = "query Q($r: String = \"" + alicesRun + "\") { mlflowGetRun(input: {runId: $r, runUuid: \"" + bobsRun + "\"})"
                + " { run { data { params { key value } } } } }";
        Response response = post("bob", "/graphql", Map.of("query", query, "operationName", "Q"));
        assertThat(response.statusCode()).as(response.asString()).isIn(400, 403);
        assertThat(response.asString()).doesNotContain("alices-value");
        // With the variable given, bob reads his own run through the same query.
        post("bob", "/graphql", Map.of("query", query, "operationName", "Q", "variables", Map.of("r", bobsRun)))
                .then().statusCode(200).body("data.mlflowGetRun.run.data.params", equalTo(List.of()));
        // Alice, who may read her run, gets the default's answer.
        post("alice", "/graphql", Map.of("query", query.replace(bobsRun, alicesRun), "operationName", "Q"))
                .then().statusCode(200).body(containsString("alices-value"));
    }
}
