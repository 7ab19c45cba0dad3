package io.github.mlflowkeycloak.gateway;

import static io.github.mlflowkeycloak.stack.LocalStack.gateway;
import static io.github.mlflowkeycloak.stack.LocalStack.token;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowkeycloak.stack.KeycloakAdmin;
import io.github.mlflowkeycloak.stack.LocalStack;
import org.junit.jupiter.api.Test;

/**
 * The audit trail as an operator reads it in the running Keycloak's log (category
 * mlflow-keycloak.audit), joined to NGINX's access log by the request id; and failed
 * service-account sign-ins as the realm's Keycloak events.
 */
class AuditTrailIT {

    private static final String EXPERIMENTS_GET = "/api/2.0/mlflow/experiments/get";
    private static final String RUNS_CREATE = "/api/2.0/mlflow/runs/create";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anAllowedRequestIsRecordedWithWhoWhatAndWhy() throws Exception {
        String experimentId = uniqueId();
        gateway().auth().oauth2(token("dana")).queryParam("experiment_id", experimentId).get(EXPERIMENTS_GET);

        JsonNode record = awaitRecordNaming("experiment_id", experimentId);
        assertThat(record.path("realm").asText()).isEqualTo("mlflow");
        assertThat(record.path("caller").path("name").asText()).isEqualTo("dana");
        assertThat(record.path("caller").path("id").asText()).isNotEmpty();
        assertThat(record.path("caller").path("client").asText()).isEqualTo("stack-token");
        assertThat(record.path("caller").path("session").asText()).isNotEmpty();
        assertThat(record.path("method").asText()).isEqualTo("GET");
        assertThat(record.path("path").asText()).isEqualTo(EXPERIMENTS_GET);
        assertThat(record.path("route").asText()).isEqualTo("GET " + EXPERIMENTS_GET);
        assertThat(record.path("kind").asText()).isEqualTo("experiment");
        assertThat(record.path("scope").asText()).isEqualTo("read");
        assertThat(record.path("outcome").asText()).isEqualTo("allowed");
        assertThat(record.path("reason").asText()).isEqualTo("kind-wide grant: read on every experiment");
        assertThat(record.path("decision_ms").isNumber()).isTrue();
        // The same request in NGINX's access log, by the id NGINX gave it.
        String requestId = record.path("request_id").asText();
        assertThat(requestId).matches("[0-9a-f]{32}");
        assertThat(nginxAccessLog()).anySatisfy(line -> assertThat(line)
                .contains("GET " + EXPERIMENTS_GET + "?experiment_id=" + experimentId).contains("request_id=" + requestId));
    }

    @Test
    void aRefusalIsRecordedWithWhatWasMissing() throws Exception {
        String experimentId = uniqueId();
        gateway().auth().oauth2(token("alice")).contentType("application/json")
                .body(Map.of("experiment_id", experimentId)).post(RUNS_CREATE).then().statusCode(403);

        JsonNode record = awaitRecordNaming("experiment_id", experimentId);
        assertThat(record.path("caller").path("name").asText()).isEqualTo("alice");
        assertThat(record.path("route").asText()).isEqualTo("POST " + RUNS_CREATE);
        assertThat(record.path("scope").asText()).isEqualTo("update");
        assertThat(record.path("outcome").asText()).isEqualTo("refused");
        assertThat(record.path("status").asInt()).isEqualTo(403);
        assertThat(record.path("reason").asText()).startsWith("Permission denied: this needs the 'update' scope on the experiment");
    }

    @Test
    void credentialsAndCookiesNeverAppear() throws Exception {
        String token = token("alice");
        String secret = "secret-" + UUID.randomUUID();
        String cookie = "cookie-" + UUID.randomUUID();
        String experimentId = uniqueId();
        gateway().auth().oauth2(token).header("Cookie", "mlflow_session=" + cookie)
                .queryParam("experiment_id", experimentId).queryParam("access_token", token).get(EXPERIMENTS_GET);
        String probe = "probe-" + UUID.randomUUID();
        gateway().auth().preemptive().basic(probe, secret).queryParam("experiment_id", experimentId).get(EXPERIMENTS_GET)
                .then().statusCode(401);

        awaitRecordNaming("experiment_id", experimentId);
        String keycloakLog = keycloakLog();
        assertThat(keycloakLog).doesNotContain(token).doesNotContain(token.split("\\.")[2]).doesNotContain(secret).doesNotContain(cookie);
    }

    @Test
    void failedServiceAccountSignInsAndBlocksAreKeycloakEvents() {
        String probe = "audit-probe-" + UUID.randomUUID();
        // failed-sign-in-limit is 5: the sixth attempt is blocked.
        for (int i = 0; i < 6; i++) {
            gateway().auth().preemptive().basic(probe, "wrong").get(EXPERIMENTS_GET + "?experiment_id=0").then().statusCode(401);
        }

        List<Map<String, Object>> events = KeycloakAdmin.events("CLIENT_LOGIN_ERROR", probe);
        assertThat(events).extracting(event -> event.get("error"))
                .containsExactly("client_temporarily_blocked", "client_not_found", "client_not_found", "client_not_found",
                        "client_not_found", "client_not_found");
        assertThat(events).allSatisfy(event -> {
            assertThat(event.get("clientId")).isEqualTo(probe);
            assertThat(event.get("ipAddress")).isEqualTo("127.0.0.1");
            assertThat(event.get("details")).isEqualTo(Map.of("auth_method", "mlflow-gateway"));
        });
    }

    /** An experiment id no other test names, so that its record is this test's. */
    private static String uniqueId() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000_000L, Long.MAX_VALUE));
    }

    private static JsonNode awaitRecordNaming(String field, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<JsonNode> found = auditRecords().stream()
                    .filter(record -> record.path("objects").path(field).toString().contains("\"" + id + "\"")).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no audit record names " + field + " " + id);
    }

    /** The JSON of each line Keycloak logged in the audit category. */
    private static List<JsonNode> auditRecords() throws IOException {
        String marker = "[mlflow-keycloak.audit] ";
        return keycloakLog().lines().filter(line -> line.contains(marker)).map(line -> {
            String json = line.substring(line.indexOf('{', line.indexOf(marker)));
            try {
                return JSON.readTree(json);
            } catch (IOException e) {
                throw new AssertionError("an audit record is not JSON: " + line, e);
            }
        }).toList();
    }

    private static String keycloakLog() throws IOException {
        return Files.readString(LocalStack.STACK_DIR.resolve("logs/keycloak.log"), StandardCharsets.ISO_8859_1);
    }

    private static List<String> nginxAccessLog() throws IOException {
        return Files.readAllLines(LocalStack.STACK_DIR.resolve("logs/nginx-access.log"), StandardCharsets.ISO_8859_1);
    }
}
