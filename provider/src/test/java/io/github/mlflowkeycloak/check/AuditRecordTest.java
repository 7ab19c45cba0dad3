package io.github.mlflowkeycloak.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowkeycloak.identity.Caller;
import io.github.mlflowkeycloak.request.MlflowRequest;
import io.github.mlflowkeycloak.route.Route;
import io.github.mlflowkeycloak.route.RouteTable;
import org.junit.jupiter.api.Test;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.util.JsonSerialization;

class AuditRecordTest {

    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0.c2lnbmF0dXJl";
    private static final String RUNS_GET = "/api/2.0/mlflow/runs/get";

    @Test
    void recordsWhoAskedWhatAndWhy() throws Exception {
        AuditRecord record = new AuditRecord("mlflow");
        record.request("GET", RUNS_GET + "?run_id=r1", "0123456789abcdef0123456789abcdef");
        Route route = route("GET", RUNS_GET);
        record.route(route);
        record.caller(caller("alice", "sid-1"));
        record.asked(asked(route, Map.of("run_id", List.of("r1"))));

        JsonNode json = parse(record, Decision.refused("Permission denied: this needs the 'read' scope"));

        assertThat(json.get("realm").asText()).isEqualTo("mlflow");
        assertThat(json.get("request_id").asText()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(json.get("caller").get("name").asText()).isEqualTo("alice");
        assertThat(json.get("caller").get("id").asText()).isEqualTo("id-alice");
        assertThat(json.get("caller").get("client").asText()).isEqualTo("mlflow-cli");
        assertThat(json.get("caller").get("session").asText()).isEqualTo("sid-1");
        assertThat(json.get("method").asText()).isEqualTo("GET");
        assertThat(json.get("path").asText()).isEqualTo(RUNS_GET);
        assertThat(json.get("route").asText()).isEqualTo("GET " + RUNS_GET);
        assertThat(json.get("kind").asText()).isEqualTo("experiment");
        assertThat(json.get("scope").asText()).isEqualTo("read");
        assertThat(json.get("objects").get("run_id").get(0).asText()).isEqualTo("r1");
        assertThat(json.get("outcome").asText()).isEqualTo("refused");
        assertThat(json.get("status").asInt()).isEqualTo(403);
        assertThat(json.get("reason").asText()).isEqualTo("Permission denied: this needs the 'read' scope");
        assertThat(json.get("decision_ms").isNumber()).isTrue();
        assertThat(json.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void namesAFewOfManyIdsAndHowManyThereWere() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add("run-" + i + "x".repeat(1000));
        }
        Route route = route("GET", RUNS_GET);
        AuditRecord record = new AuditRecord("mlflow");
        record.request("GET", RUNS_GET, null);
        record.route(route);
        record.asked(asked(route, Map.of("run_id", ids)));

        String line = record.json(Decision.badRequest("too many", false), 0);

        JsonNode json = JsonSerialization.mapper.readTree(line);
        assertThat(json.get("objects").get("run_id")).hasSize(AuditRecord.MAX_IDS);
        assertThat(json.get("object_count").asInt()).isEqualTo(100_000);
        assertThat(json.get("objects_truncated").asBoolean()).isTrue();
        assertThat(json.get("outcome").asText()).isEqualTo("400");
        assertThat(line.length()).isLessThan(16 * 1024);
    }

    @Test
    void neverWritesAQueryStringOrAForgedRequestId() throws Exception {
        AuditRecord record = new AuditRecord("mlflow");
        record.request("GET", RUNS_GET + "?access_token=" + TOKEN, "x\n{\"forged\":1}");

        String line = record.json(Decision.unauthenticated("mlflow", "invalid_token", "The access token is invalid."), 0);

        assertThat(line).doesNotContain(TOKEN).doesNotContain("access_token").doesNotContain("forged").doesNotContain("\n");
        JsonNode json = JsonSerialization.mapper.readTree(line);
        assertThat(json.has("request_id")).isFalse();
        assertThat(json.get("outcome").asText()).isEqualTo("401");
    }

    @Test
    void keepsHostileTextOnOneBoundedLine() throws Exception {
        AuditRecord record = new AuditRecord("mlflow");
        record.request("GET\r\nX: y", "/" + "a\"\n".repeat(10_000), null);

        String line = record.json(Decision.refused("No MLflow endpoint is served at this method and path."), 0);

        assertThat(line).doesNotContain("\n").doesNotContain("\r");
        assertThat(line.length()).isLessThan(4 * 1024);
        assertThat(JsonSerialization.mapper.readTree(line).get("method").asText()).isEqualTo("GET\r\nX: y");
    }

    private static JsonNode parse(AuditRecord record, Decision decision) throws Exception {
        return JsonSerialization.mapper.readTree(record.json(decision, 1_234_567));
    }

    private static Route route(String method, String path) {
        return RouteTable.mlflow().lookup(method, path).orElseThrow();
    }

    private static Asked asked(Route route, Map<String, List<String>> ids) throws Exception {
        MlflowRequest request = new MlflowRequest(route.method(), RUNS_GET, name -> List.of(), null);
        return Asked.of(route, request, ids, Map.of(), null);
    }

    /** A user as far as the audit trail reads one. */
    private static Caller caller(String name, String sessionId) {
        UserModel user = (UserModel) Proxy.newProxyInstance(UserModel.class.getClassLoader(), new Class<?>[] {UserModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> "id-" + name;
                    case "getUsername" -> name;
                    default -> null;
                });
        AccessToken token = new AccessToken();
        token.issuedFor("mlflow-cli");
        token.setSessionId(sessionId);
        return new Caller(user, token);
    }
}
