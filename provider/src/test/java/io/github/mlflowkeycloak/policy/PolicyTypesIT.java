package io.github.mlflowkeycloak.policy;

import static io.github.mlflowkeycloak.gateway.MlflowObjects.createExperiment;
import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.mlflowkeycloak.stack.KeycloakAdmin;
import org.junit.jupiter.api.Test;

/** The policy types of the extension as a realm admin uses them: admin REST API and console saves. */
class PolicyTypesIT {

    @Test
    void theAdminConsoleOffersBothTypes() {
        List<String> types = KeycloakAdmin.authorization().get("/policy/providers").then().statusCode(200).extract().path("type");
        assertThat(types).contains("mlflow-owner", "mlflow-namespace");
    }

    @Test
    void aNamespacePolicyIsConfiguredThroughTheAdminApiAndAConsoleSaveKeepsIt() {
        String name = "sandboxes " + UUID.randomUUID();
        String policy = KeycloakAdmin.authorization()
                .body(Map.of("name", name, "userPrefix", "sandbox/", "groups", false))
                .post("/policy/mlflow-namespace").then().statusCode(201).extract().path("id");
        String permission = KeycloakAdmin.authorization().body(Map.of("name", "sandbox reads " + UUID.randomUUID(),
                        "resources", List.of("experiment"), "scopes", List.of("read"), "policies", List.of(policy)))
                .post("/permission/scope").then().statusCode(201).extract().path("id");
        try {
            String inBobsSandbox = createExperiment("admin", "sandbox/bob/" + UUID.randomUUID());
            String inTeamA = createExperiment("admin", "team-a/" + UUID.randomUUID());
            gatewayAs("bob").queryParam("experiment_id", inBobsSandbox).get("/api/2.0/mlflow/experiments/get").then().statusCode(200);
            gatewayAs("alice").queryParam("experiment_id", inBobsSandbox).get("/api/2.0/mlflow/experiments/get").then().statusCode(403);

            // What the admin console sends (to the policy type's endpoint) when an admin saves a type it draws no form for.
            Map<String, Object> generic = Map.of("id", policy, "name", name, "description", "saved in the console",
                    "type", "mlflow-namespace", "logic", "POSITIVE", "decisionStrategy", "UNANIMOUS", "policies", List.of());
            KeycloakAdmin.authorization().body(generic).put("/policy/mlflow-namespace/{id}", policy).then().statusCode(201);
            KeycloakAdmin.authorization().get("/policy/mlflow-namespace/{id}", policy).then().statusCode(200)
                    .body("userPrefix", equalTo("sandbox/")).body("groups", equalTo(false))
                    .body("description", equalTo("saved in the console"));
            gatewayAs("bob").queryParam("experiment_id", inBobsSandbox).get("/api/2.0/mlflow/experiments/get").then().statusCode(200);
            // This policy gives groups no namespace; bob reads team-a's through the realm's own Namespaces policy.
            gatewayAs("alice").queryParam("experiment_id", inTeamA).get("/api/2.0/mlflow/experiments/get").then().statusCode(403);
        } finally {
            KeycloakAdmin.authorization().delete("/permission/{id}", permission).then().statusCode(204);
            KeycloakAdmin.authorization().delete("/policy/{id}", policy).then().statusCode(204);
        }
    }

    @Test
    void aUserPrefixWithoutTrailingSlashIsRefused() {
        KeycloakAdmin.authorization().body(Map.of("name", "bad " + UUID.randomUUID(), "userPrefix", "sandbox"))
                .post("/policy/mlflow-namespace").then().statusCode(400);
    }

    @Test
    void theOwnerPolicyHasNothingToConfigureAndSavesAsItIs() {
        String owners = KeycloakAdmin.authorization().queryParam("name", "Owners").queryParam("type", "mlflow-owner")
                .get("/policy").then().statusCode(200).extract().path("[0].id");
        Map<String, Object> generic = Map.of("id", owners, "name", "Owners", "type", "mlflow-owner", "logic", "POSITIVE",
                "decisionStrategy", "UNANIMOUS", "description", "The owner of the experiment or registered model: its creator");
        KeycloakAdmin.authorization().body(generic).put("/policy/mlflow-owner/{id}", owners).then().statusCode(201);
        // alice still owns what she creates.
        String experiment = createExperiment("alice", "alice-" + UUID.randomUUID());
        gatewayAs("alice").queryParam("experiment_id", experiment).get("/api/2.0/mlflow/experiments/get").then().statusCode(200);
    }
}
