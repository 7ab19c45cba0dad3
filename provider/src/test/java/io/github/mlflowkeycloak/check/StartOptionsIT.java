package io.github.mlflowkeycloak.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.mlflowkeycloak.stack.LocalStack;
import org.junit.jupiter.api.Test;

/**
 * The real {@code kc.sh} of the stack's Keycloak installation with the extension's options: a
 * malformed one stops Keycloak at start, naming it, and {@code show-config} lists those set. The
 * server started here runs beside the stack without touching it: the installation as built
 * ({@code --optimized}), its own database in memory, free ports, and it stops by itself.
 */
class StartOptionsIT {

    private static final String SHORT_SECRET = "tooShortSecret";

    @Test
    void aMalformedOptionStopsKeycloakAtStartNamingIt() throws Exception {
        int http = freePort();
        int management = freePort();
        Finished start = kc(Map.of(
                        "KC_SPI_REALM_RESTAPI_EXTENSION__MLFLOW__MLFLOW_URL", "mlflow:5001",
                        "KC_SPI_REALM_RESTAPI_EXTENSION__MLFLOW__GATEWAY_SECRET", SHORT_SECRET),
                "start", "--optimized", "--db-url=jdbc:h2:mem:malformed-options", "--http-enabled=true", "--http-host=127.0.0.1",
                "--http-port=" + http, "--http-management-port=" + management, "--hostname=http://localhost:" + http,
                "--spi-realm-restapi-extension--mlflow--missing-object-seconds=-1");

        assertThat(start.exitCode()).as(start.output()).isNotZero();
        assertThat(start.output())
                .contains("Invalid value for option '--spi-realm-restapi-extension--mlflow--mlflow-url': "
                        + "must be an http or https URL with a host and no user, query or fragment, not 'mlflow:5001'")
                .contains("Invalid value for option '--spi-realm-restapi-extension--mlflow--gateway-secret': must have 16 characters at least")
                .contains("Invalid value for option '--spi-realm-restapi-extension--mlflow--missing-object-seconds': must be 0 or more, not -1")
                .doesNotContain(SHORT_SECRET);
    }

    @Test
    void showConfigListsTheOptionsThatAreSet() throws Exception {
        Finished showConfig = kc(Map.of("KC_SPI_REALM_RESTAPI_EXTENSION__MLFLOW__LOOKUP_CACHE_SIZE", "1234"), "show-config");
        assertThat(showConfig.exitCode()).as(showConfig.output()).isZero();
        assertThat(showConfig.output()).containsPattern("kc\\.spi-realm-restapi-extension--mlflow--lookup-cache-size = +1234 \\(ENV\\)");
    }

    /** kc.sh with no Keycloak setting from this environment but the given ones. */
    private static Finished kc(Map<String, String> environment, String... arguments) throws IOException, InterruptedException {
        Path home = LocalStack.keycloakHome();
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString()));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("kc-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("KC_") || name.startsWith("JAVA_OPTS"));
        builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                throw new AssertionError("kc.sh " + String.join(" ", arguments) + " did not stop: " + Files.readString(output));
            }
            return new Finished(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Files.delete(output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private record Finished(int exitCode, String output) {
    }
}
