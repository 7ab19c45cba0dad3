package io.github.mlflowkeycloak.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.github.mlflowkeycloak.stack.LocalStack;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The extension's readiness on Keycloak's management interface of the running stack, a health
 * group of its own: MLflow stopped takes it down, and Keycloak's own readiness, with every other
 * realm, stays up.
 */
@Order(Integer.MAX_VALUE - 1)
class MlflowHealthIT {

    private static final String GROUP = "/health/group/" + MlflowHealthCheck.GROUP;

    @Test
    @Tag("smoke")
    void reportsEachPartOfTheReadinessAndNotTheSecret() {
        String body = group().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks[0].name", equalTo("MLflow gateway"))
                .body("checks[0].data.route-table", startsWith("MLflow " + LocalStack.mlflowVersion() + ", "))
                .body("checks[0].data.gateway-secret", equalTo("set"))
                .body("checks[0].data.mlflow", equalTo("reachable"))
                .extract().asString();
        assertThat(body).doesNotContain(LocalStack.gatewaySecret());
    }

    @Test
    void keycloaksOwnHealthLeavesMlflowOut() {
        for (String path : new String[] {"/health", "/health/ready", "/health/live"}) {
            String body = management().get(path).then().statusCode(200).body("status", equalTo("UP")).extract().asString();
            assertThat(body).as(path).doesNotContain("MLflow");
        }
    }

    @Test
    void anMlflowOutageTakesTheGroupDownAndNotKeycloak() throws Exception {
        LocalStack.binStack("down", "mlflow");
        try {
            group().statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks[0].data.mlflow", equalTo("unreachable: ConnectException"))
                    .body("checks[0].data.gateway-secret", equalTo("set"));
            management().get("/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            assertThat(LocalStack.masterAdminToken()).as("a sign-in to another realm").isNotBlank();
        } finally {
            LocalStack.binStack("up", "mlflow");
        }
        // MLflow answers bin/stack's wait before it answers every probe within 2 s on a busy machine.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (group().extract().statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
        }
        group().statusCode(200).body("checks[0].data.mlflow", equalTo("reachable"));
    }

    private static ValidatableResponse group() {
        return management().get(GROUP).then();
    }

    private static RequestSpecification management() {
        return given().baseUri(LocalStack.keycloakManagementUrl());
    }
}
