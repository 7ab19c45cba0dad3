package io.github.mlflowkeycloak.migrate;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.mlflowkeycloak.stack.LocalStack;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * MLflow's own basic-auth app ({@code mlflow server --app-name basic-auth}, the stack's MLflow),
 * on a port and an auth database of its own, over the stack's backend store: the server an
 * organisation ran before it put the same MLflow data behind the gateway. Stopped on close.
 */
final class BasicAuthServer implements AutoCloseable {

    static final String ADMIN = "admin";
    static final String PASSWORD = "basic-auth-password-1";

    private final Path directory;
    private final Process process;
    private final String url;

    private BasicAuthServer(Path directory, Process process, String url) {
        this.directory = directory;
        this.process = process;
        this.url = url;
    }

    /** Starts it; its users see only what they are granted (default_permission NO_PERMISSIONS). */
    static BasicAuthServer start() throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("basic-auth-");
        Path config = directory.resolve("basic_auth.ini");
        Files.writeString(config, String.join("\n",
                "[mlflow]",
                "default_permission = NO_PERMISSIONS",
                "database_uri = sqlite:///" + directory.resolve("basic_auth.db"),
                "admin_username = " + ADMIN,
                "admin_password = " + PASSWORD,
                "authorization_function = mlflow.server.auth:authenticate_request_basic_auth",
                ""));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(LocalStack.STACK_DIR.resolve("venv/bin/mlflow").toString(), "server",
                "--app-name", "basic-auth", "--host", "127.0.0.1", "--port", Integer.toString(port), "--workers", "1",
                "--backend-store-uri", "sqlite:///" + LocalStack.STACK_DIR.resolve("mlflow/mlflow.db"),
                "--artifacts-destination", LocalStack.STACK_DIR.resolve("mlflow/artifacts").toString(), "--serve-artifacts")
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("server.log").toFile());
        builder.environment().put("MLFLOW_AUTH_CONFIG_PATH", config.toString());
        builder.environment().put("MLFLOW_FLASK_SERVER_SECRET_KEY", UUID.randomUUID().toString());
        BasicAuthServer server = new BasicAuthServer(directory, builder.start(), "http://127.0.0.1:" + port);
        try {
            server.awaitUp();
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitUp() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                break;
            }
            try {
                if (given().baseUri(url).get("/health").statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // connection refused while it starts (rest-assured throws it unchecked)
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("MLflow basic-auth did not start:\n" + Files.readString(directory.resolve("server.log")));
    }

    /** Its auth database: what migrate reads. */
    Path authDatabase() {
        return directory.resolve("basic_auth.db");
    }

    RequestSpecification as(String user, String password) {
        return given().baseUri(url).auth().preemptive().basic(user, password).contentType(ContentType.JSON);
    }

    void createUser(String username, String password) {
        as(ADMIN, PASSWORD).body(Map.of("username", username, "password", password))
                .post("/api/2.0/mlflow/users/create").then().statusCode(200);
    }

    void makeAdmin(String username) {
        as(ADMIN, PASSWORD).body(Map.of("username", username, "is_admin", true))
                .patch("/api/2.0/mlflow/users/update-admin").then().statusCode(200);
    }

    /** basic-auth makes its creator MANAGE it. */
    String createExperiment(String user, String password, String name) {
        return as(user, password).body(Map.of("name", name)).post("/api/2.0/mlflow/experiments/create")
                .then().statusCode(200).extract().path("experiment_id");
    }

    void createRegisteredModel(String user, String password, String name) {
        as(user, password).body(Map.of("name", name)).post("/api/2.0/mlflow/registered-models/create")
                .then().statusCode(200);
    }

    /** MLflow 3.17's per-user grant (it replaced experiments/permissions/create and the like). */
    void grant(String username, String resourceType, String resourceId, String permission) {
        as(ADMIN, PASSWORD).body(Map.of("username", username, "resource_type", resourceType, "resource_id", resourceId,
                        "permission", permission))
                .post("/api/3.0/mlflow/users/permissions/grant").then().statusCode(200);
    }

    /** What basic-auth answers the user: the yardstick the migration is held to. */
    Response readExperiment(String user, String password, String experimentId) {
        return as(user, password).queryParam("experiment_id", experimentId).get("/api/2.0/mlflow/experiments/get");
    }

    @Override
    public void close() throws IOException {
        // mlflow server runs its workers as child processes.
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
