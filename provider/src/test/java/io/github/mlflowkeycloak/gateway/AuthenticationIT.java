package io.github.mlflowkeycloak.gateway;

import static io.github.mlflowkeycloak.stack.LocalStack.gateway;
import static io.github.mlflowkeycloak.stack.LocalStack.mlflowLog;
import static io.github.mlflowkeycloak.stack.LocalStack.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import io.github.mlflowkeycloak.stack.KeycloakAdmin;
import io.github.mlflowkeycloak.stack.LocalStack;
import io.github.mlflowkeycloak.stack.RawHttp;
import io.github.mlflowkeycloak.stack.RawHttp.RawResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who may talk to MLflow at all: only callers with a valid token of this realm, for MLflow. */
class AuthenticationIT {

    private static final String SEARCH = "/api/2.0/mlflow/experiments/search";

    @Test
    void aValidTokenReachesMlflow() throws Exception {
        String probe = probe();
        gateway().auth().oauth2(token("dana")).queryParam("max_results", 1).queryParam("probe", probe)
                .get(SEARCH).then().statusCode(200);
        // The positive control for every "never reaches MLflow" below: MLflow's log shows this one.
        assertThat(LocalStack.awaitMlflowLogContaining(probe)).isTrue();
    }

    @Test
    void aTokenIssuedToAnotherApplicationIsRefusedThoughItsAudienceNamesMlflow() throws Exception {
        String clientId = "another-app-" + UUID.randomUUID();
        KeycloakAdmin.createPasswordGrantClient(clientId);
        try {
            String token = LocalStack.tokenFrom(LocalStack.REALM, clientId, "dana", "dana");
            // Keycloak's default client scope "roles" puts mlflow in the audience: dana holds one of its roles.
            String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
            assertThat(claims).contains("\"mlflow\"").contains("\"azp\":\"" + clientId + "\"");
            assertUnauthenticated(gateway().auth().oauth2(token), "invalid_token");
        } finally {
            KeycloakAdmin.deleteClient(clientId);
        }
    }

    @Test
    void noTokenIsRefusedWithAChallenge() throws Exception {
        assertUnauthenticated(gateway(), null);
    }

    @Test
    void aMalformedTokenIsRefused() throws Exception {
        assertUnauthenticated(gateway().header("Authorization", "Bearer not-a-token"), "invalid_token");
    }

    @Test
    void anotherSchemeIsRefused() throws Exception {
        assertUnauthenticated(gateway().header("Authorization", "Digest username=\"dana\""), "invalid_request");
    }

    @Test
    void aUsersPasswordOverBasicIsRefused() throws Exception {
        // Basic is for service accounts' client id and secret, never a user's password.
        assertUnauthenticated(gateway().auth().preemptive().basic("dana", "dana"), "invalid_token");
    }

    @Test
    void aTokenWithABrokenSignatureIsRefused() throws Exception {
        String[] parts = token("dana").split("\\.");
        char[] signature = parts[2].toCharArray();
        int middle = signature.length / 2;
        signature[middle] = signature[middle] == 'A' ? 'B' : 'A';
        String forged = parts[0] + "." + parts[1] + "." + new String(signature);
        assertUnauthenticated(gateway().auth().oauth2(forged), "invalid_token");
    }

    @Test
    void aTokenWithAlgNoneIsRefused() throws Exception {
        String[] parts = token("admin").split("\\.");
        String header = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        assertUnauthenticated(gateway().auth().oauth2(header + "." + parts[1] + "."), "invalid_token");
        assertUnauthenticated(gateway().auth().oauth2(header + "." + parts[1] + ".x"), "invalid_token");
    }

    @Test
    void aTokenFromAnotherRealmIsRefused() throws Exception {
        assertUnauthenticated(gateway().auth().oauth2(LocalStack.masterAdminToken()), "invalid_token");
    }

    @Test
    void aTokenWithPayloadOfAnotherUserIsRefused() throws Exception {
        String[] dana = token("dana").split("\\.");
        String[] admin = token("admin").split("\\.");
        assertUnauthenticated(gateway().auth().oauth2(dana[0] + "." + admin[1] + "." + dana[2]), "invalid_token");
    }

    @Test
    void aMadeUpRouteIsForbiddenAndNeverReachesMlflow() throws Exception {
        String madeUp = "/api/2.0/mlflow/made-up-" + UUID.randomUUID();
        gateway().auth().oauth2(token("admin")).get(madeUp)
                .then().statusCode(403)
                .contentType("application/json")
                .body("error_code", equalTo("PERMISSION_DENIED"));
        gateway().auth().oauth2(token("admin")).post(madeUp).then().statusCode(403);
        assertThat(mlflowLog()).doesNotContain(madeUp);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/2.0/mlflow/experiments/search/",
            "/api/2.0/mlflow//experiments/search",
            "/api/2.0/mlflow/runs/../experiments/search",
            "/api/2.0/mlflow/runs/%2E%2E/experiments/search",
            "/api/2.0/mlflow/./experiments/search",
            "/api/2.0/mlflow%2Fexperiments/search",
            "/api/2.0/mlflow%2fexperiments/search",
            "/API/2.0/mlflow/experiments/search",
            "/api/2.0/mlflow/experiments/search%7F",
    })
    void pathTricksAreForbiddenAndNeverReachMlflow(String path) throws Exception {
        String probe = probe();
        RawResponse response = RawHttp.get(path + "?probe=" + probe, token("admin"));
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).contains("PERMISSION_DENIED");
        assertThat(mlflowLog()).doesNotContain(probe);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/2.0/mlflow/experiments/search%00",
            "/api/2.0/mlflow/experiments/searc%68%",
            "/api/2.0/mlflow/experiments/search%zz",
            "/api/2.0/../../../experiments/search",
    })
    void malformedPathsAreBadRequestsAndNeverReachMlflow(String path) throws Exception {
        String probe = probe();
        RawResponse response = RawHttp.get(path + "?probe=" + probe, token("admin"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("\"error_code\": \"BAD_REQUEST\"");
        assertThat(mlflowLog()).doesNotContain(probe);
    }

    @Test
    void healthNeedsNoToken() {
        gateway().get("/health").then().statusCode(200).body(equalTo("OK"));
    }

    private static void assertUnauthenticated(RequestSpecification request, String error) throws Exception {
        String probe = probe();
        request.queryParam("probe", probe).get(SEARCH)
                .then().statusCode(401)
                .contentType("application/json")
                .header("WWW-Authenticate", startsWith("Bearer realm=\"mlflow\""))
                .header("WWW-Authenticate", error == null ? equalTo("Bearer realm=\"mlflow\"") : containsString("error=\"" + error + "\""))
                .body("error_code", equalTo("UNAUTHENTICATED"));
        assertThat(mlflowLog()).doesNotContain(probe);
    }

    private static String probe() {
        return "probe-" + UUID.randomUUID();
    }
}
