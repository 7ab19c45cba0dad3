package io.github.mlflowkeycloak.cluster;

import static io.github.mlflowkeycloak.cluster.KeycloakNode.KEYCLOAK_1;
import static io.github.mlflowkeycloak.cluster.KeycloakNode.KEYCLOAK_2;
import static io.github.mlflowkeycloak.stack.LocalStack.gateway;
import static org.hamcrest.Matchers.containsString;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.github.mlflowkeycloak.stack.KeycloakAdmin;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failed-sign-in limit of service accounts counts across the cluster: five failures of one
 * client from one address block it on every node, wherever each failure was counted.
 */
class FailedSignInsClusterIT {

    private static final String SEARCH = "/api/2.0/mlflow/experiments/search";

    private String clientId;

    @BeforeEach
    void aServiceAccount() {
        clientId = "ci-cluster-" + UUID.randomUUID();
        KeycloakAdmin.createServiceAccountClient(clientId, "the-right-secret", "editor");
    }

    @AfterEach
    void deleteIt() {
        KeycloakAdmin.deleteClient(clientId);
    }

    @Test
    void fiveFailuresSpreadOverBothNodesBlockTheAddressOnBoth() {
        String address = "192.0.2." + ThreadLocalRandom.current().nextInt(1, 255);
        for (int attempt = 1; attempt <= 5; attempt++) {
            KeycloakNode node = attempt % 2 == 1 ? KEYCLOAK_1 : KEYCLOAK_2;
            signIn(node, "a-wrong-secret", address).then().statusCode(401)
                    .body("message", containsString("Invalid client id or secret"));
        }
        for (KeycloakNode node : KeycloakNode.values()) {
            signIn(node, "the-right-secret", address).then().statusCode(401)
                    .body("message", containsString("Too many failed sign-ins"));
            signIn(node, "the-right-secret", "198.51.100.7").then().statusCode(204);
        }
    }

    @Test
    void fiveFailuresThroughTheGatewayBlockTheNextSignInWhicheverNodeAnswers() throws Exception {
        Answered signIns = Answered.since(KeycloakNode.CHECK);
        for (int attempt = 1; attempt <= 5; attempt++) {
            throughTheGateway("a-wrong-secret").then().statusCode(401).body("message", containsString("Invalid client id or secret"));
        }
        for (int attempt = 1; attempt <= 4; attempt++) {
            throughTheGateway("the-right-secret").then().statusCode(401).body("message", containsString("Too many failed sign-ins"));
        }
        signIns.assertBothNodesAnswered(9);
    }

    private Response signIn(KeycloakNode node, String secret, String address) {
        return node.check("GET", SEARCH).auth().preemptive().basic(clientId, secret)
                .header("X-Original-Remote-Addr", address).get();
    }

    private Response throughTheGateway(String secret) {
        return gateway().auth().preemptive().basic(clientId, secret).get(SEARCH + "?max_results=1");
    }
}
