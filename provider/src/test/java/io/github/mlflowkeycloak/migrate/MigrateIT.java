package io.github.mlflowkeycloak.migrate;

import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.mlflowkeycloak.stack.KeycloakAdmin;
import io.github.mlflowkeycloak.stack.AdminCli;
import io.github.mlflowkeycloak.stack.LocalStack;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code mlflow-keycloak migrate}, as a realm admin runs it when an MLflow server moves from
 * basic-auth to the gateway: the same backend store, first served by MLflow's own basic-auth app
 * (its users, grants and admins made through basic-auth's REST API), then behind the gateway.
 * Users see through the gateway what basic-auth let them see, and nothing it did not.
 */
class MigrateIT {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String CLIENT = "migrate-" + SUFFIX;
    private static final String SECRET = UUID.randomUUID().toString();
    private static final String CAROL = "carol-" + SUFFIX;
    private static final String GHOST = "ghost-" + SUFFIX;
    private static final String BASIC_PASSWORD = "basic-auth-user-1";

    private static BasicAuthServer basicAuth;

    @BeforeAll
    static void start() throws Exception {
        KeycloakAdmin.createAdminClient(CLIENT, SECRET, "manage-authorization", "view-clients", "view-users", "manage-users");
        KeycloakAdmin.createUser(CAROL, CAROL);
        basicAuth = BasicAuthServer.start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (basicAuth != null) {
            basicAuth.close();
        }
        KeycloakAdmin.deleteClient(CLIENT);
        KeycloakAdmin.deleteUser(CAROL);
    }

    @Test
    void usersReachThroughTheGatewayWhatBasicAuthLetThemReach() throws Exception {
        for (String user : List.of("alice", "bob", CAROL, GHOST)) {
            basicAuth.createUser(user, BASIC_PASSWORD);
        }
        basicAuth.makeAdmin(CAROL);
        String own = basicAuth.createExperiment("alice", BASIC_PASSWORD, "migrate-" + SUFFIX + "-alice");
        String shared = basicAuth.createExperiment(BasicAuthServer.ADMIN, BasicAuthServer.PASSWORD, "migrate-" + SUFFIX + "-shared");
        String hidden = basicAuth.createExperiment(BasicAuthServer.ADMIN, BasicAuthServer.PASSWORD, "migrate-" + SUFFIX + "-hidden");
        basicAuth.grant("alice", "experiment", shared, "READ");
        basicAuth.grant("bob", "experiment", shared, "EDIT");
        basicAuth.grant(GHOST, "experiment", hidden, "READ");
        String model = "migrate-" + SUFFIX + "-model";
        String gone = "migrate-" + SUFFIX + "-gone";
        basicAuth.createRegisteredModel("alice", BASIC_PASSWORD, model);
        basicAuth.createRegisteredModel("alice", BASIC_PASSWORD, gone);
        // Deleted from the store after basic-auth last saw it: its permission is left behind.
        given().baseUri(LocalStack.mlflowDirectUrl()).contentType(ContentType.JSON).body(Map.of("name", gone))
                .delete("/api/2.0/mlflow/registered-models/delete").then().statusCode(200);
        // The yardstick: what basic-auth itself lets alice read.
        assertThat(List.of(own, shared, hidden)).map(id -> basicAuth.readExperiment("alice", BASIC_PASSWORD, id).statusCode())
                .containsExactly(200, 200, 403);
        // Before the migration the gateway knows no owner and no grant of them.
        assertThat(readExperiment("alice", own).statusCode()).isEqualTo(403);

        String dryRun = migrate("basic-auth", "--dry-run", basicAuth.authDatabase().toString());
        assertThat(dryRun).contains("would set experiment " + own + " (migrate-" + SUFFIX + "-alice): owner alice",
                "would set experiment " + shared + " (migrate-" + SUFFIX + "-shared): grant alice read",
                "would set user " + CAROL + ": client role mlflow admin");
        assertThat(readExperiment("alice", own).statusCode()).as("a dry run changes nothing").isEqualTo(403);
        assertThat(KeycloakAdmin.clientRoles(CAROL, "mlflow")).doesNotContain("admin");

        String run = migrate("basic-auth", basicAuth.authDatabase().toString());
        assertThat(List.of(own, shared, hidden)).map(id -> readExperiment("alice", id).statusCode())
                .containsExactly(200, 200, 403);
        assertThat(rename("alice", shared).statusCode()).as("READ does not let alice rename").isEqualTo(403);
        assertThat(rename("alice", own).statusCode()).as("alice owns what she created").isEqualTo(200);
        assertThat(gatewayAs("alice").queryParam("name", model).get("/api/2.0/mlflow/registered-models/get").statusCode())
                .isEqualTo(200);
        assertThat(setTag("bob", shared).statusCode()).as("EDIT lets bob change").isEqualTo(200);
        assertThat(delete("bob", shared).statusCode()).as("EDIT does not let bob delete").isEqualTo(403);
        assertThat(readExperiment("bob", hidden).statusCode()).isEqualTo(403);
        assertThat(KeycloakAdmin.clientRoles(CAROL, "mlflow")).contains("admin");
        assertThat(readExperiment(CAROL, hidden).statusCode()).as("basic-auth's admin is mlflow's admin").isEqualTo(200);
        assertThat(run).contains("Not migrated:", "user " + GHOST + ": not in Keycloak",
                "registered-model " + gone + ": MLflow does not know it");

        String again = migrate("basic-auth", basicAuth.authDatabase().toString());
        assertThat(again).contains("0 change(s)").doesNotContainPattern("(?m)^set ");
        assertThat(List.of(own, shared, hidden)).map(id -> readExperiment("alice", id).statusCode())
                .containsExactly(200, 200, 403);
    }

    @Test
    void adoptGivesOwnersToObjectsThatHaveNone() throws Exception {
        // Objects made before the gateway (straight in MLflow's store): nobody owns them.
        String bobs = createExperimentInMlflow("adopt-" + SUFFIX + "-bob", "bob");
        String ghosts = createExperimentInMlflow("adopt-" + SUFFIX + "-ghost", GHOST);
        String mapped = createExperimentInMlflow("adopt-" + SUFFIX + "-mapped", null);
        String model = "adopt-" + SUFFIX + "-model";
        mlflow().body(Map.of("name", model)).post("/api/2.0/mlflow/registered-models/create").then().statusCode(200);
        assertThat(readExperiment("bob", bobs).statusCode()).isEqualTo(403);

        String store = LocalStack.STACK_DIR.resolve("mlflow/mlflow.db").toString();
        String dryRun = migrate("adopt", "--dry-run", "--first-run", store);
        assertThat(dryRun).contains("would set experiment " + bobs + " (adopt-" + SUFFIX + "-bob): owner bob  [user of its first run]",
                "experiment " + ghosts + " (adopt-" + SUFFIX + "-ghost): " + GHOST + " (user of its first run) is not in Keycloak",
                "experiment " + mapped + " (adopt-" + SUFFIX + "-mapped): no owner, and it has no run");
        assertThat(readExperiment("bob", bobs).statusCode()).as("a dry run changes nothing").isEqualTo(403);

        migrate("adopt", "--first-run", store);
        assertThat(readExperiment("bob", bobs).statusCode()).isEqualTo(200);
        assertThat(readExperiment("alice", bobs).statusCode()).isEqualTo(403);
        assertThat(migrate("adopt", "--first-run", store)).contains("0 change(s)").doesNotContainPattern("(?m)^set ");

        Path mapping = Files.createTempFile("adopt-", ".csv");
        Files.writeString(mapping, String.join("\n", "kind,name,username",
                "experiment,adopt-" + SUFFIX + "-mapped,alice",
                "registered-model," + model + ",alice",
                "experiment,adopt-" + SUFFIX + "-bob,alice",
                "experiment,adopt-" + SUFFIX + "-no-such,alice", ""));
        try {
            String mappedDryRun = migrate("adopt", "--dry-run", "--mapping", mapping.toString());
            assertThat(mappedDryRun).contains("would set experiment " + mapped + " (adopt-" + SUFFIX + "-mapped): owner alice",
                    "experiment adopt-" + SUFFIX + "-no-such: MLflow does not know it")
                    .doesNotContain("adopt-" + SUFFIX + "-bob): owner alice");
            assertThat(readExperiment("alice", mapped).statusCode()).isEqualTo(403);

            migrate("adopt", "--mapping", mapping.toString());
            assertThat(readExperiment("alice", mapped).statusCode()).isEqualTo(200);
            assertThat(gatewayAs("alice").queryParam("name", model).get("/api/2.0/mlflow/registered-models/get").statusCode())
                    .isEqualTo(200);
            assertThat(readExperiment("alice", bobs).statusCode()).as("an owner is never replaced").isEqualTo(403);
            assertThat(readExperiment("bob", bobs).statusCode()).isEqualTo(200);
            assertThat(migrate("adopt", "--mapping", mapping.toString())).contains("0 change(s)").doesNotContainPattern("(?m)^set ");
        } finally {
            Files.delete(mapping);
        }
    }

    private static io.restassured.specification.RequestSpecification mlflow() {
        return given().baseUri(LocalStack.mlflowDirectUrl()).contentType(ContentType.JSON);
    }

    /** An experiment made in MLflow itself, with a first run of {@code user} when given. */
    private static String createExperimentInMlflow(String name, String user) {
        String id = mlflow().body(Map.of("name", name)).post("/api/2.0/mlflow/experiments/create")
                .then().statusCode(200).extract().path("experiment_id");
        if (user != null) {
            mlflow().body(Map.of("experiment_id", id, "user_id", user, "start_time", System.currentTimeMillis()))
                    .post("/api/2.0/mlflow/runs/create").then().statusCode(200);
        }
        return id;
    }

    private static Response readExperiment(String user, String experimentId) {
        return gatewayAs(user).queryParam("experiment_id", experimentId).get("/api/2.0/mlflow/experiments/get");
    }

    private static Response rename(String user, String experimentId) {
        return gatewayAs(user).contentType(ContentType.JSON)
                .body(Map.of("experiment_id", experimentId, "new_name", "migrate-" + UUID.randomUUID()))
                .post("/api/2.0/mlflow/experiments/update");
    }

    private static Response setTag(String user, String experimentId) {
        return gatewayAs(user).contentType(ContentType.JSON)
                .body(Map.of("experiment_id", experimentId, "key", "team", "value", "a"))
                .post("/api/2.0/mlflow/experiments/set-experiment-tag");
    }

    private static Response delete(String user, String experimentId) {
        return gatewayAs(user).contentType(ContentType.JSON).body(Map.of("experiment_id", experimentId))
                .post("/api/2.0/mlflow/experiments/delete");
    }

    /** Runs {@code mlflow-keycloak migrate ARGS…} of the stack's virtualenv as this test's admin client; its output. */
    private static String migrate(String... arguments) throws IOException, InterruptedException {
        String[] command = new String[arguments.length + 1];
        command[0] = "migrate";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        AdminCli.Run run = AdminCli.run(CLIENT, SECRET, command);
        if (run.exit() != 0) {
            throw new IllegalStateException("migrate " + String.join(" ", arguments) + " failed:\n" + run.out() + "\n" + run.err());
        }
        return run.out();
    }
}
