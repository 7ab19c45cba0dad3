package io.github.mlflowkeycloak.gateway;

import static io.github.mlflowkeycloak.stack.LocalStack.gateway;
import static io.github.mlflowkeycloak.stack.LocalStack.mlflowLog;
import static io.github.mlflowkeycloak.stack.LocalStack.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

import io.github.mlflowkeycloak.stack.LocalStack;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * With Keycloak unreachable or unresponsive, the gateway refuses every request and forwards none
 * to MLflow. Runs last (it stops Keycloak), and starts Keycloak again when done.
 */
@Order(Integer.MAX_VALUE)
class KeycloakDownIT {

    private static String danaToken;

    @BeforeAll
    static void takeATokenWhileKeycloakRuns() {
        danaToken = token("dana");
        gateway().auth().oauth2(danaToken).get("/api/2.0/mlflow/experiments/search?max_results=1")
                .then().statusCode(200);
    }

    @AfterAll
    static void startKeycloakAgain() throws Exception {
        LocalStack.binStack("up", "keycloak");
    }

    @Test
    void nothingReachesMlflowWhileKeycloakIsStopped() throws Exception {
        LocalStack.binStack("down", "keycloak");
        String probe = "probe-" + UUID.randomUUID();

        assertRefused(gateway().auth().oauth2(danaToken).queryParam("probe", probe)
                .get("/api/2.0/mlflow/experiments/search"));
        assertRefused(gateway().auth().oauth2(danaToken).contentType(ContentType.JSON)
                .body(Map.of("name", probe)).post("/api/2.0/mlflow/experiments/create"));
        assertRefused(gateway().queryParam("probe", probe).get("/api/2.0/mlflow/experiments/search"));
        assertRefused(gateway().queryParam("probe", probe).get("/health"));

        assertThat(mlflowLog()).doesNotContain(probe);
        // MLflow itself (asked directly, not through the gateway) has no such experiment.
        RestAssured.given().baseUri(LocalStack.mlflowDirectUrl()).queryParam("experiment_name", probe)
                .get("/api/2.0/mlflow/experiments/get-by-name").then().statusCode(404);
    }

    @Test
    void nothingReachesMlflowWhileKeycloakHangs() throws Exception {
        LocalStack.binStack("up", "keycloak");
        long pid = Long.parseLong(Files.readString(LocalStack.STACK_DIR.resolve("run/keycloak.pid")).strip());
        String probe = "probe-" + UUID.randomUUID();
        signal("STOP", pid);
        try {
            assertRefused(gateway().auth().oauth2(danaToken).queryParam("probe", probe)
                    .get("/api/2.0/mlflow/experiments/search"));
        } finally {
            signal("CONT", pid);
        }
        assertThat(mlflowLog()).doesNotContain(probe);
    }

    private static void assertRefused(Response response) {
        response.then().statusCode(503)
                .contentType("application/json")
                .body("error_code", equalTo("TEMPORARILY_UNAVAILABLE"));
    }

    private static void signal(String signal, long pid) throws Exception {
        // The pid is the process group bin/stack started: signal the JVM inside it too.
        Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pid).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }
}
