package io.github.mlflowkeycloak.policy;

import static io.github.mlflowkeycloak.gateway.MlflowObjects.createExperiment;
import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.mlflowkeycloak.stack.KeycloakAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The policy types of the extension through the admin REST API, with the bodies Keycloak's admin
 * console sends (its form for types it does not know: the JavaScript policy's). Clicking through
 * the console itself: AdminConsoleIT.
 */
class PolicyTypesIT {

    @Test
    void theAdminConsoleOffersEveryType() {
        List<String> types = KeycloakAdmin.authorization().get("/policy/providers").then().statusCode(200).extract().path("type");
        assertThat(types).contains("mlflow-owner", "mlflow-user-namespace", "mlflow-group-namespace", "mlflow-namespace");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlflow-owner", "mlflow-user-namespace", "mlflow-group-namespace", "mlflow-namespace"})
    void whatTheConsolesFormSendsCreatesAndSaves(String type) {
        String name = type + " " + UUID.randomUUID();
        // The console's create: name, description, logic, and the empty code box of its generic form.
        String policy = KeycloakAdmin.authorization()
                .body(Map.of("name", name, "description", "created", "logic", "POSITIVE", "code", ""))
                .post("/policy/" + type).then().statusCode(201).extract().path("id");
        try {
            // The console's save: what it read back, its associated policies, the code box.
            Map<String, Object> read = KeycloakAdmin.authorization().get("/policy/" + type + "/{id}", policy)
                    .then().statusCode(200).body("groups", nullValue()).extract().as(Map.class);
            Map<String, Object> saved = new HashMap<>(read);
            saved.putAll(Map.of("description", "saved", "logic", "NEGATIVE", "code", "", "policies", List.of()));
            KeycloakAdmin.authorization().body(saved).put("/policy/" + type + "/{id}", policy).then().statusCode(201);
            KeycloakAdmin.authorization().get("/policy/" + type + "/{id}", policy).then().statusCode(200)
                    .body("description", equalTo("saved")).body("logic", equalTo("NEGATIVE")).body("type", equalTo(type));
        } finally {
            KeycloakAdmin.authorization().delete("/policy/{id}", policy).then().statusCode(204);
        }
    }

    @Test
    void codeIsRefusedNotIgnored() {
        KeycloakAdmin.authorization().body(Map.of("name", "code " + UUID.randomUUID(), "code", "$evaluation.grant();"))
                .post("/policy/mlflow-owner").then().statusCode(400);
    }

    @Test
    void aNamespacePolicyStoredWithItsOwnSettingsKeepsThemThroughAConsoleSave() {
        String name = "sandboxes " + UUID.randomUUID();
        // As an export of an earlier release stores it; imported as Keycloak imports a resource server's settings.
        Map<String, Object> stored = Map.of("name", name, "type", "mlflow-namespace", "logic", "POSITIVE",
                "decisionStrategy", "UNANIMOUS", "config", Map.of("userPrefix", "sandbox/", "groups", "false"));
        KeycloakAdmin.authorization().body(Map.of("allowRemoteResourceManagement", false, "policyEnforcementMode", "ENFORCING",
                "decisionStrategy", "AFFIRMATIVE", "policies", List.of(stored))).post("/import").then().statusCode(204);
        String policy = KeycloakAdmin.authorization().queryParam("name", name).queryParam("type", "mlflow-namespace")
                .get("/policy").then().statusCode(200).extract().path("[0].id");
        String permission = KeycloakAdmin.authorization().body(Map.of("name", "sandbox reads " + UUID.randomUUID(),
                        "resources", List.of("experiment"), "scopes", List.of("read"), "policies", List.of(policy)))
                .post("/permission/scope").then().statusCode(201).extract().path("id");
        try {
            String inBobsSandbox = createExperiment("admin", "sandbox/bob/" + UUID.randomUUID());
            gatewayAs("bob").queryParam("experiment_id", inBobsSandbox).get("/api/2.0/mlflow/experiments/get").then().statusCode(200);
            gatewayAs("alice").queryParam("experiment_id", inBobsSandbox).get("/api/2.0/mlflow/experiments/get").then().statusCode(403);

            Map<String, Object> console = Map.of("id", policy, "name", name, "description", "saved in the console",
                    "type", "mlflow-namespace", "logic", "POSITIVE", "decisionStrategy", "UNANIMOUS", "policies", List.of(), "code", "");
            KeycloakAdmin.authorization().body(console).put("/policy/mlflow-namespace/{id}", policy).then().statusCode(201);
            KeycloakAdmin.authorization().get("/policy/{id}", policy).then().statusCode(200)
                    .body("config.userPrefix", equalTo("sandbox/")).body("config.groups", equalTo("false"));
            gatewayAs("bob").queryParam("experiment_id", inBobsSandbox).get("/api/2.0/mlflow/experiments/get").then().statusCode(200);
        } finally {
            KeycloakAdmin.authorization().delete("/permission/{id}", permission).then().statusCode(204);
            KeycloakAdmin.authorization().delete("/policy/{id}", policy).then().statusCode(204);
        }
    }
}
