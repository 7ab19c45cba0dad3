package io.github.mlflowkeycloak.sdk;

import static io.github.mlflowkeycloak.stack.LocalStack.gateway;
import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.mlflowkeycloak.gateway.MlflowObjects;
import io.github.mlflowkeycloak.stack.KeycloakAdmin;
import io.github.mlflowkeycloak.stack.LocalStack;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/** CI pipelines: a service account signs in with its client's id and secret, or its own token. */
class ServiceAccountIT {

    @Test
    void ciBotLogsARunOverBasic() throws Exception {
        PythonClient run = PythonClient.start(Map.of("MLFLOW_TRACKING_USERNAME", "ci-bot", "MLFLOW_TRACKING_PASSWORD", "ci-bot-secret"),
                PythonClient.LOG_RUN.toString(), "ci-" + UUID.randomUUID(), "1", "1");
        assertThat(run.waitFor()).as(run.stderr()).isZero();
        String runId = JsonPath.from(run.lastLine()).getString("run_id");
        gatewayAs("admin").queryParam("run_id", runId).get("/api/2.0/mlflow/runs/get")
                .then().statusCode(200).body("run.info.user_id", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void ciBotLogsARunWithAClientCredentialsToken() throws Exception {
        String token = given().baseUri(LocalStack.keycloakUrl()).auth().preemptive().basic("ci-bot", "ci-bot-secret")
                .formParam("grant_type", "client_credentials")
                .post("/realms/mlflow/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
        PythonClient run = PythonClient.start(Map.of("MLFLOW_TRACKING_TOKEN", token),
                PythonClient.LOG_RUN.toString(), "ci-" + UUID.randomUUID(), "1", "1");
        assertThat(run.waitFor()).as(run.stderr()).isZero();
    }

    @Test
    void theServiceAccountsRolesDecide() {
        gateway().auth().preemptive().basic("ci-bot", "ci-bot-secret")
                .contentType("application/json").body(Map.of("experiment_id", "0"))
                .post("/api/2.0/mlflow/experiments/delete")
                .then().statusCode(403).body("message", containsString("'delete'"));
        gateway().auth().preemptive().basic("ci-bot", "ci-bot-secret")
                .header("X-MLflow-User", "admin")
                .get("/api/2.0/mlflow/experiments/search?max_results=1").then().statusCode(200);
    }

    @Test
    void aServiceAccountWithoutARoleOwnsWhatItCreates() {
        String clientId = "ci-owner-" + UUID.randomUUID();
        KeycloakAdmin.createServiceAccountClient(clientId, "its-secret");
        try {
            String experimentId = gateway().auth().preemptive().basic(clientId, "its-secret").contentType("application/json")
                    .body(Map.of("name", "ci-owned-" + UUID.randomUUID())).post("/api/2.0/mlflow/experiments/create")
                    .then().statusCode(200).extract().path("experiment_id");
            gateway().auth().preemptive().basic(clientId, "its-secret").queryParam("experiment_id", experimentId)
                    .get("/api/2.0/mlflow/experiments/get").then().statusCode(200);
            gateway().auth().preemptive().basic(clientId, "its-secret").contentType("application/json")
                    .body(Map.of("experiment_id", experimentId)).post("/api/2.0/mlflow/runs/create").then().statusCode(200);
            // Its own token decides alike, and its search shows what it owns.
            String token = given().baseUri(LocalStack.keycloakUrl()).auth().preemptive().basic(clientId, "its-secret")
                    .formParam("grant_type", "client_credentials")
                    .post("/realms/mlflow/protocol/openid-connect/token")
                    .then().statusCode(200).extract().path("access_token");
            gateway().auth().oauth2(token).queryParam("experiment_id", experimentId)
                    .get("/api/2.0/mlflow/experiments/get").then().statusCode(200);
            assertThat(gateway().auth().oauth2(token).queryParam("max_results", 1000).get("/api/2.0/mlflow/experiments/search")
                    .then().statusCode(200).extract().<List<String>>path("experiments.experiment_id")).contains(experimentId);
            // No one else without a role.
            gatewayAs("bob").queryParam("experiment_id", experimentId).get("/api/2.0/mlflow/experiments/get").then().statusCode(403);
        } finally {
            KeycloakAdmin.deleteClient(clientId);
        }
    }

    @Test
    void theResourceServersOwnServiceAccountIsNoOwnerOfEverything() {
        // Keycloak makes the resource server the owner of the kinds' type resources; that is no grant of every object.
        String alices = MlflowObjects.createExperiment("alice", "alice-" + UUID.randomUUID());
        String secret = KeycloakAdmin.clientSecret("mlflow");
        gateway().auth().preemptive().basic("mlflow", secret).queryParam("experiment_id", alices)
                .get("/api/2.0/mlflow/experiments/get").then().statusCode(403);
        gateway().auth().preemptive().basic("mlflow", secret).contentType("application/json").body(Map.of("experiment_id", alices))
                .post("/api/2.0/mlflow/experiments/delete").then().statusCode(403);
        assertThat(gateway().auth().preemptive().basic("mlflow", secret).queryParam("max_results", 1000)
                .get("/api/2.0/mlflow/experiments/search").then().statusCode(200)
                .extract().<List<String>>path("experiments.experiment_id")).doesNotContain(alices);
    }

    @Test
    void aWrongSecretIsRefusedAndRepeatedFailuresAreSlowedDown() {
        String clientId = "ci-lockout-" + UUID.randomUUID();
        KeycloakAdmin.createServiceAccountClient(clientId, "the-right-secret", "editor");
        try {
            for (int attempt = 1; attempt <= 5; attempt++) {
                basic(clientId, "a-wrong-secret").then().statusCode(401)
                        .body("error_code", equalTo("UNAUTHENTICATED"))
                        .body("message", containsString("Invalid client id or secret"));
            }
            // Five failures from this address: even the right secret is refused until the window ends.
            basic(clientId, "the-right-secret").then().statusCode(401).body("message", containsString("Too many failed sign-ins"));
            // Other addresses are not locked out by this one's failures.
            given().baseUri(LocalStack.keycloakUrl()).auth().preemptive().basic(clientId, "the-right-secret")
                    .header("X-MLflow-Gateway-Secret", LocalStack.gatewaySecret())
                    .header("X-Original-Method", "GET").header("X-Original-URI", "/api/2.0/mlflow/experiments/search")
                    .header("X-Original-Remote-Addr", "192.0.2.7")
                    .get("/realms/mlflow/mlflow/check").then().statusCode(204).header("X-MLflow-User", "service-account-" + clientId);
        } finally {
            KeycloakAdmin.deleteClient(clientId);
        }
    }

    @Test
    void aPublicClientOrAUserCannotSignInOverBasic() {
        basic("mlflow-cli", "anything").then().statusCode(401);
        basic("dana", "dana").then().statusCode(401);
    }

    private static io.restassured.response.Response basic(String clientId, String secret) {
        return gateway().auth().preemptive().basic(clientId, secret).get("/api/2.0/mlflow/experiments/search?max_results=1");
    }
}
