package io.github.mlflowkeycloak.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.sun.net.httpserver.HttpServer;
import io.github.mlflowkeycloak.lookup.MlflowApi;
import io.github.mlflowkeycloak.ownership.GatewaySecret;
import io.github.mlflowkeycloak.route.RouteTable;
import io.github.mlflowkeycloak.route.RouteTableFile;
import io.github.mlflowkeycloak.version.MlflowRelease;
import io.github.mlflowkeycloak.version.RouteTableSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MlflowReadinessTest {

    private static final RouteTable ROUTES = RouteTable.mlflow();
    private static final GatewaySecret SECRET = new GatewaySecret("0123456789abcdef0123");

    private HttpServer mlflow;
    private volatile int healthStatus = 200;
    private volatile String version = ROUTES.mlflowVersion().toString();

    @BeforeEach
    void startMlflow() throws IOException {
        mlflow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mlflow.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(healthStatus, -1);
            exchange.close();
        });
        mlflow.createContext("/version", exchange -> {
            byte[] body = version.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        mlflow.start();
    }

    @AfterEach
    void stopMlflow() {
        mlflow.stop(0);
    }

    @Test
    void readyWhenTheSecretIsSetAndMlflowAnswers() {
        MlflowReadiness.Report report = readiness(SECRET, url()).report();
        assertThat(report.ready()).isTrue();
        assertThat(report.found()).containsExactly(
                entry("route-table", "MLflow " + ROUTES.mlflowVersion() + ", " + ROUTES.routes().size()
                        + " routes from the built-in mlflow-routes.txt"),
                entry("gateway-secret", "set"),
                entry("mlflow", "reachable"));
    }

    @Test
    void notReadyWithoutTheSecret() {
        MlflowReadiness.Report report = readiness(new GatewaySecret(null), url()).report();
        assertThat(report.ready()).isFalse();
        assertThat(report.found()).containsEntry("gateway-secret", "not set").containsEntry("mlflow", "reachable");
    }

    @Test
    void notReadyWhenMlflowFailsItsHealthOrCannotBeReached() throws IOException {
        healthStatus = 503;
        MlflowReadiness.Report failing = readiness(SECRET, url()).report();
        assertThat(failing.ready()).isFalse();
        assertThat(failing.found()).containsEntry("mlflow", "unreachable: it answered 503");

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        MlflowReadiness.Report unreachable = readiness(SECRET, "http://127.0.0.1:" + closedPort).report();
        assertThat(unreachable.ready()).isFalse();
        assertThat(unreachable.found()).containsEntry("mlflow", "unreachable: ConnectException");
    }

    @Test
    void notReadyForAnMlflowReleaseNoTableCovers() {
        version = "3.13.0";
        MlflowReadiness.Report report = readiness(SECRET, url()).report();
        assertThat(report.ready()).isFalse();
        assertThat(report.found().get("route-table")).startsWith("MLflow 3.13.0 is not supported: route tables cover [3.14.0");
    }

    @Test
    void notReadyWhileMlflowsReleaseIsNotKnown() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        MlflowReadiness.Report report = readiness(SECRET, "http://127.0.0.1:" + closedPort).report();
        assertThat(report.ready()).isFalse();
        assertThat(report.found().get("route-table")).startsWith("MLflow's release is not known yet");
    }

    @Test
    void theNodeIsReadyForMlflowOnlyWhileAReadinessIsPublished() {
        MlflowReadiness first = readiness(SECRET, url());
        MlflowReadiness second = readiness(SECRET, url());
        first.publish();
        second.publish();
        first.withdraw();
        assertThat(MlflowReadiness.current()).containsSame(second);
        second.withdraw();
        assertThat(MlflowReadiness.current()).isEmpty();
    }

    private String url() {
        return "http://127.0.0.1:" + mlflow.getAddress().getPort();
    }

    private static MlflowReadiness readiness(GatewaySecret secret, String mlflowUrl) {
        MlflowApi mlflow = new MlflowApi(mlflowUrl);
        MlflowRelease release = new MlflowRelease(new RouteTableSource(RouteTableFile.builtIn(), Optional.empty()), Optional.empty(), mlflow);
        release.refresh();
        return new MlflowReadiness(release, secret, mlflow);
    }
}
