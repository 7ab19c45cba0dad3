package io.github.mlflowkeycloak.stack;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.mlflowkeycloak.route.MlflowVersion;
import io.github.mlflowkeycloak.route.RouteTable;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The stack that {@code bin/stack up} runs, as the integration tests reach it: URLs and ports
 * from the same environment variables bin/stack reads, tokens from the demo realm, and MLflow's
 * own access log, to tell whether a request reached MLflow at all.
 */
public final class LocalStack {

    public static final String REALM = "mlflow";
    public static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    public static final Path STACK_DIR = Path.of(System.getProperty("stack.dir", ROOT.resolve(".stack").toString()));

    private LocalStack() {
    }

    /** The MLflow release the stack runs: MLFLOW_VERSION, as bin/stack reads it, else the one mlflow/requirements.txt pins. */
    public static MlflowVersion mlflowVersion() {
        String configured = System.getenv("MLFLOW_VERSION");
        return configured == null || configured.isBlank() ? RouteTable.mlflow().mlflowVersion() : MlflowVersion.parse(configured);
    }

    /** The Python of the MLflow release the stack runs, with the mlflow-keycloak client. */
    public static Path mlflowPython() throws IOException, InterruptedException {
        return MlflowVenv.python(mlflowVersion());
    }

    public static String gatewayUrl() {
        return "http://localhost:" + env("GATEWAY_PORT", "8000");
    }

    /** Keycloak; with {@code bin/stack up --cluster}, its node keycloak-1, whose URL is the public one of both nodes. */
    public static String keycloakUrl() {
        return "http://localhost:" + env("KEYCLOAK_PORT", "8080");
    }

    /** Keycloak's management interface: its health checks. */
    public static String keycloakManagementUrl() {
        return "http://127.0.0.1:" + env("KEYCLOAK_MANAGEMENT_PORT", "9000");
    }

    /** The Keycloak installation the stack runs, of the version pom.xml pins (as bin/stack finds it). */
    public static Path keycloakHome() throws IOException {
        Matcher version = Pattern.compile("<keycloak.version>([^<]+)</keycloak.version>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        if (!version.find()) {
            throw new IllegalStateException("pom.xml sets no keycloak.version");
        }
        return STACK_DIR.resolve("keycloak-" + version.group(1));
    }

    /** {@code bin/stack up --cluster}: the Keycloak node keycloak-2. */
    public static String keycloak2Url() {
        return "http://localhost:" + env("KEYCLOAK_2_PORT", "8081");
    }

    /** {@code bin/stack up --cluster}: the gateway over TLS, with a certificate of {@link #tlsCa()}. */
    public static String gatewayTlsUrl() {
        return "https://localhost:" + env("GATEWAY_TLS_PORT", "8443");
    }

    /** The CA of the stack's TLS certificate (PEM), which its clients trust. */
    public static Path tlsCa() {
        return STACK_DIR.resolve("tls/ca.pem");
    }

    /** bin/static-gateway: the same gateway config in front of an upstream that echoes headers. */
    public static String staticGatewayUrl() {
        return "http://127.0.0.1:" + env("STATIC_GATEWAY_PORT", "8001");
    }

    public static String mlflowDirectUrl() {
        return "http://127.0.0.1:" + env("MLFLOW_PORT", "5001");
    }

    /** A request to MLflow through the gateway. */
    public static RequestSpecification gateway() {
        return given().baseUri(gatewayUrl()).redirects().follow(false);
    }

    /** A request to MLflow through the gateway, as a demo user (password = user name). */
    public static RequestSpecification gatewayAs(String user) {
        return gateway().auth().oauth2(token(user));
    }

    /** An access token of a demo user, from the password grant of the demo-only client. */
    public static String token(String user) {
        return tokenFrom(REALM, "stack-token", user, user);
    }

    /**
     * A password grant, which every caller expects to succeed. Keycloak's brute-force protection
     * now and then locks a demo user out for a minute while the tests sign in quickly and often
     * (event user_temporarily_disabled, answered as an invalid grant, with no failed sign-in of
     * theirs logged): then this asks again until the lockout ends, for 75 s at most.
     */
    public static String tokenFrom(String realm, String clientId, String user, String password) {
        long deadline = System.nanoTime() + Duration.ofSeconds(75).toNanos();
        while (true) {
            Response response = given().baseUri(keycloakUrl())
                    .formParam("grant_type", "password")
                    .formParam("client_id", clientId)
                    .formParam("username", user)
                    .formParam("password", password)
                    .post("/realms/{realm}/protocol/openid-connect/token", realm);
            boolean lockedOut = response.statusCode() == 400 && response.asString().contains("invalid_grant");
            if (!lockedOut || System.nanoTime() > deadline) {
                return response.then().statusCode(200).extract().path("access_token");
            }
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The secret the stack's gateway proves itself to Keycloak with (bin/stack makes it). */
    public static String gatewaySecret() {
        try {
            return Files.readString(STACK_DIR.resolve("gateway-secret")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The master realm's administrator that bin/stack bootstraps. */
    public static String masterAdminToken() {
        return tokenFrom("master", "admin-cli", env("KEYCLOAK_ADMIN_USER", "kcadmin"),
                env("KEYCLOAK_ADMIN_PASSWORD", "kcadmin"));
    }

    /** Everything MLflow logged so far; each request it served is a line with its path and query. */
    public static String mlflowLog() throws IOException {
        return Files.readString(STACK_DIR.resolve("logs/mlflow.log"), StandardCharsets.ISO_8859_1);
    }

    /** Waits up to ten seconds for MLflow to log a request containing {@code text}. */
    public static boolean awaitMlflowLogContaining(String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (mlflowLog().contains(text)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Runs {@code bin/stack} with the given arguments and returns its standard output. */
    public static String binStack(String... arguments) throws IOException, InterruptedException {
        return run("bin/stack", arguments);
    }

    public static void binStaticGateway(String... arguments) throws IOException, InterruptedException {
        run("bin/static-gateway", arguments);
    }

    private static String run(String script, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve(script).toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String what = script + " " + String.join(" ", arguments);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(what + " did not finish");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(what + " exited " + process.exitValue());
        }
        return out;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
