package io.github.mlflowkeycloak.gateway;

import static io.github.mlflowkeycloak.stack.LocalStack.token;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.github.mlflowkeycloak.stack.LocalStack;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the gateway forwards upstream: who /check says the caller is, never what the client
 * claims, and never the caller's credentials. Seen through bin/static-gateway, whose upstream
 * echoes the headers it received (MLflow itself does not show them).
 */
class ForwardedHeadersIT {

    private static final String GET_EXPERIMENT = "/api/2.0/mlflow/experiments/get?experiment_id=0";

    @BeforeAll
    static void startStaticGateway() throws Exception {
        LocalStack.binStaticGateway("up");
    }

    @AfterAll
    static void stopStaticGateway() throws Exception {
        LocalStack.binStaticGateway("down");
    }

    @Test
    void forwardsTheVerifiedIdentityAndNotTheToken() {
        staticGateway().auth().oauth2(token("dana")).get(GET_EXPERIMENT)
                .then().statusCode(200)
                .body("user", equalTo("dana"))
                .body("email", equalTo("dana@example.com"))
                .body("user_id", org.hamcrest.Matchers.matchesPattern("[0-9a-f-]{36}"))
                .body("authorization", equalTo(""));
    }

    @Test
    void forwardsNginxsRequestIdNotTheClients() {
        // The id the audit trail and NGINX's access log show: the gateway's own, whatever the client sent.
        staticGateway().auth().oauth2(token("dana")).header("X-Request-Id", "forged-by-the-client").get(GET_EXPERIMENT)
                .then().statusCode(200)
                .body("request_id", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{32}"));
    }

    @Test
    void replacesIdentityHeadersTheClientSent() {
        staticGateway().auth().oauth2(token("victor"))
                .header("X-MLflow-User", "admin")
                .header("x-mlflow-user-id", "someone-else")
                .header("X-MLFLOW-EMAIL", "admin@example.com")
                .get(GET_EXPERIMENT)
                .then().statusCode(200)
                .body("user", equalTo("victor"))
                .body("email", equalTo("victor@example.com"));
    }

    @Test
    void dropsIdentityHeadersTheClientSentOnPublicRoutes() {
        staticGateway()
                .header("X-MLflow-User", "admin")
                .header("X-MLflow-User-Id", "someone-else")
                .header("X-MLflow-Email", "admin@example.com")
                .get("/health")
                .then().statusCode(200)
                .body("user", equalTo(""))
                .body("user_id", equalTo(""))
                .body("email", equalTo(""));
    }

    private static RequestSpecification staticGateway() {
        return given().baseUri(LocalStack.staticGatewayUrl());
    }
}
