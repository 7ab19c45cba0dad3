package io.github.mlflowkeycloak.sdk;

import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.mlflowkeycloak.stack.KeycloakAdmin;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MLflow SDK with MLFLOW_TRACKING_AUTH=keycloak and nothing else: a device login completed
 * as a person would (Keycloak's login and consent pages), tokens kept privately and refreshed
 * during a run, shared by threads and processes.
 */
class DeviceLoginIT {

    @TempDir
    Path config;

    @AfterEach
    void restoreTheTokenLifespan() {
        KeycloakAdmin.setClientAttribute("mlflow-cli", "access.token.lifespan", "");
    }

    @Test
    void anSdkRunSignsInWithADeviceLoginAndKeepsTheTokensPrivate() throws Exception {
        PythonClient run = PythonClient.start(environment(), PythonClient.LOG_RUN.toString(), "sdk-" + UUID.randomUUID(), "1", "1");
        run.completeDeviceLogin("dana");
        assertThat(run.waitFor()).as(run.stderr()).isZero();
        String runId = JsonPath.from(run.lastLine()).getString("run_id");
        gatewayAs("admin").queryParam("run_id", runId).get("/api/2.0/mlflow/runs/get").then().statusCode(200);

        Path directory = config.resolve("mlflow-keycloak");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("tokens.json")))).isEqualTo("rw-------");
        assertThat(JsonPath.from(directory.resolve("tokens.json").toFile()).getMap("")).hasSize(1);

        // The next run uses the login it left: no new device login.
        PythonClient again = PythonClient.start(environment(), PythonClient.LOG_RUN.toString(), "sdk-" + UUID.randomUUID(), "1", "1");
        assertThat(again.waitFor()).as(again.stderr()).isZero();
        assertThat(again.stderr()).doesNotContain("To sign in");
    }

    @Test
    void aRunLongerThanSeveralTokenLifespansKeepsLoggingWithoutANewLogin() throws Exception {
        KeycloakAdmin.setClientAttribute("mlflow-cli", "access.token.lifespan", "6");
        login();
        assertThat(storedTokenLifetime()).as("the access token lifespan the test set").isEqualTo(6);

        PythonClient run = PythonClient.start(environment(), PythonClient.LOG_RUN.toString(), "sdk-" + UUID.randomUUID(), "25", "1");
        assertThat(run.waitFor()).as(run.stderr()).isZero();
        assertThat(run.stderr()).doesNotContain("To sign in");
        assertThat(JsonPath.from(run.lastLine()).getInt("logged")).isGreaterThan(50);
    }

    @Test
    void fourThreadsAndTwoProcessesShareOneLogin() throws Exception {
        KeycloakAdmin.setClientAttribute("mlflow-cli", "access.token.lifespan", "6");
        login();

        String experiment = "sdk-" + UUID.randomUUID();
        gatewayAs("dana").contentType("application/json").body(Map.of("name", experiment))
                .post("/api/2.0/mlflow/experiments/create").then().statusCode(200);
        List<PythonClient> processes = List.of(
                PythonClient.start(environment(), PythonClient.LOG_RUN.toString(), experiment, "20", "4"),
                PythonClient.start(environment(), PythonClient.LOG_RUN.toString(), experiment, "20", "4"));
        for (PythonClient process : processes) {
            assertThat(process.waitFor()).as(process.stderr()).isZero();
            assertThat(process.stderr()).doesNotContain("To sign in").doesNotContain("unreadable");
        }
        assertThat(JsonPath.from(config.resolve("mlflow-keycloak/tokens.json").toFile()).getMap("")).hasSize(1);
    }

    @Test
    void aLogoutEndsTheLogin() throws Exception {
        login();
        PythonClient logout = PythonClient.start(environment(), "-m", "mlflow_keycloak.cli", "logout");
        assertThat(logout.waitFor()).as(logout.stderr()).isZero();
        assertThat(JsonPath.from(config.resolve("mlflow-keycloak/tokens.json").toFile()).getMap("")).isEmpty();
    }

    private void login() throws Exception {
        PythonClient login = PythonClient.start(environment(), "-m", "mlflow_keycloak.cli", "login");
        login.completeDeviceLogin("dana");
        assertThat(login.waitFor()).as(login.stderr()).isZero();
    }

    /** The lifetime, in seconds, of the access token in the token file. */
    private int storedTokenLifetime() {
        Map<String, Map<String, Object>> tokens = JsonPath.from(config.resolve("mlflow-keycloak/tokens.json").toFile()).getMap("");
        return ((Number) tokens.values().iterator().next().get("lifetime")).intValue();
    }

    private Map<String, String> environment() {
        return Map.of("MLFLOW_TRACKING_AUTH", "keycloak", "XDG_CONFIG_HOME", config.toString());
    }
}
