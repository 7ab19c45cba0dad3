package io.github.mlflowkeycloak.check;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;

import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * The HTTP contract of {@code /realms/{realm}/mlflow/check} (DESIGN.md), asked directly, as
 * NGINX asks it. Run against the local stack's Keycloak (CheckEndpointIT) and against the
 * Docker image (DockerImageIT).
 */
abstract class CheckContract {

    /** Keycloak's base URL. */
    protected abstract String keycloakUrl();

    /** An access token of a demo user of the realm. */
    protected abstract String token(String user);

    /** The secret the gateway proves itself with (the SPI option gateway-secret). */
    protected abstract String gatewaySecret();

    @Test
    void allowsWithTheCallersIdentity() {
        check("GET", "/api/2.0/mlflow/experiments/get?experiment_id=0").auth().oauth2(token("victor"))
                .get()
                .then().statusCode(204)
                .header("X-MLflow-User", "victor")
                .header("X-MLflow-Email", "victor@example.com")
                .header("X-MLflow-User-Id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void routesHeadAsGet() {
        check("HEAD", "/api/2.0/mlflow/experiments/search?max_results=1").auth().oauth2(token("victor"))
                .get().then().statusCode(204);
        check("HEAD", "/api/2.0/mlflow/experiments/delete").auth().oauth2(token("admin"))
                .get().then().statusCode(403);
    }

    @Test
    void readsTheIdsOfAHeadFromItsBodyAsMlflowDoes() {
        // MLflow's handlers read the query string only for GET; a HEAD's ids come from its body.
        check("HEAD", "/api/2.0/mlflow/experiments/get?experiment_id=0").auth().oauth2(token("victor"))
                .get().then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        check("HEAD", "/api/2.0/mlflow/experiments/get").auth().oauth2(token("victor"))
                .body("{\"experiment_id\": \"0\"}").post().then().statusCode(204);
    }

    @Test
    void answersTheSameWhateverMethodNginxUsesToAsk() {
        for (String askedWith : new String[] {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}) {
            check("POST", "/api/2.0/mlflow/experiments/delete").auth().oauth2(token("dana"))
                    .request(askedWith).then().statusCode(403);
            check("POST", "/api/2.0/mlflow/runs/log-batch").auth().oauth2(token("dana"))
                    .request(askedWith).then().statusCode(204);
        }
    }

    @Test
    void refusesAScopeTheCallerLacks() {
        check("POST", "/api/2.0/mlflow/experiments/delete").auth().oauth2(token("dana"))
                .get()
                .then().statusCode(403)
                .contentType("application/json")
                .body("error_code", equalTo("PERMISSION_DENIED"))
                .body("message", startsWith("Permission denied: this needs the 'delete' scope on the experiment it names, or on every experiment."))
                .body("message", containsString("a role of the client 'mlflow'"))
                .header("X-MLflow-User", nullValue());
    }

    @Test
    void refusesWithoutCredentials() {
        check("GET", "/api/2.0/mlflow/experiments/get?experiment_id=0")
                .get()
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"mlflow\"")
                .body("error_code", equalTo("UNAUTHENTICATED"));
    }

    @Test
    void refusesAnUnknownRouteEvenToAnAdmin() {
        check("GET", "/api/2.0/mlflow/made-up").auth().oauth2(token("admin"))
                .get().then().statusCode(403).body("error_code", equalTo("PERMISSION_DENIED"));
        check("OPTIONS", "/api/2.0/mlflow/experiments/get").auth().oauth2(token("admin"))
                .get().then().statusCode(403);
    }

    @Test
    void refusesARequestThatDidNotComeThroughTheGateway() {
        check("GET", "/api/2.0/mlflow/experiments/search").auth().oauth2(token("admin")).get().then().statusCode(204);
        // Keycloak's port is public: without the gateway's secret nobody may name a request to decide on.
        for (String secret : new String[] {null, "", "not-the-gateway-secret", gatewaySecret() + "x"}) {
            RequestSpecification request = given().baseUri(keycloakUrl()).basePath("/realms/mlflow/mlflow/check")
                    .auth().oauth2(token("admin"))
                    .header("X-Original-Method", "GET").header("X-Original-URI", "/api/2.0/mlflow/experiments/search");
            if (secret != null) {
                request.header("X-MLflow-Gateway-Secret", secret);
            }
            request.get().then().statusCode(403).body("message", equalTo("The request did not come through the MLflow gateway."));
        }
        given().baseUri(keycloakUrl()).basePath("/realms/mlflow/mlflow/check").header("X-Original-Method", "GET")
                .header("X-Original-URI", "/health").get().then().statusCode(403);
        // With the secret, a request that does not say what it asks about is refused too.
        given().baseUri(keycloakUrl()).basePath("/realms/mlflow/mlflow/check").auth().oauth2(token("admin"))
                .header("X-MLflow-Gateway-Secret", gatewaySecret()).header("X-Original-Method", "GET").get().then().statusCode(403);
    }

    @Test
    void takesTheWorkspaceHeaderIntoTheDecision() {
        check("GET", "/api/2.0/mlflow/experiments/search").auth().oauth2(token("victor"))
                .header("X-MLFLOW-WORKSPACE", "team-a").get().then().statusCode(204);
        for (String malformed : new String[] {"Team-A", "../admin", "a b", "-a", "a".repeat(64)}) {
            check("GET", "/api/2.0/mlflow/experiments/search").auth().oauth2(token("victor"))
                    .header("X-MLFLOW-WORKSPACE", malformed).get().then().statusCode(400);
        }
        check("GET", "/api/2.0/mlflow/experiments/search").auth().oauth2(token("victor"))
                .header("X-MLFLOW-WORKSPACE", "a").header("X-MLFLOW-WORKSPACE", "b").get().then().statusCode(400);
    }

    @Test
    void readsTheBodyTheGatePosts() {
        check("POST", "/api/2.0/mlflow/runs/delete").auth().oauth2(token("admin"))
                .contentType("application/octet-stream").body("{\"run_id\": \"a\", \"runId\": \"b\"}".getBytes(StandardCharsets.UTF_8))
                .post().then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        check("POST", "/api/2.0/mlflow/runs/delete").auth().oauth2(token("admin"))
                .contentType("application/octet-stream").body("{\"run_id\": \"a\"}".getBytes(StandardCharsets.UTF_8))
                .post().then().statusCode(204);
    }

    @Test
    void letsPublicRoutesThroughWithoutIdentity() {
        check("GET", "/health").get().then().statusCode(204).header("X-MLflow-User", nullValue());
    }

    @Test
    void needsOnlyAValidTokenForSignedInRoutes() {
        check("GET", "/version").auth().oauth2(token("victor")).get()
                .then().statusCode(204).header("X-MLflow-User", "victor");
        check("GET", "/version").get().then().statusCode(401);
    }

    private RequestSpecification check(String method, String uri) {
        return given().baseUri(keycloakUrl())
                .basePath("/realms/mlflow/mlflow/check")
                .header("X-MLflow-Gateway-Secret", gatewaySecret())
                .header("X-Original-Method", method)
                .header("X-Original-URI", uri);
    }
}
