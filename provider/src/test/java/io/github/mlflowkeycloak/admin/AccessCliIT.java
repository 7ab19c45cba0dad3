package io.github.mlflowkeycloak.admin;

import static io.github.mlflowkeycloak.gateway.MlflowObjects.createExperiment;
import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

import io.github.mlflowkeycloak.stack.AdminCli;
import io.github.mlflowkeycloak.stack.KeycloakAdmin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code mlflow-keycloak access} as an admin's script runs it: the stack's virtualenv's command,
 * signed in as a confidential client whose service account holds realm-management's
 * manage-authorization, Keycloak found through the gateway.
 */
class AccessCliIT {

    private static final String CLIENT = "it-access-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String SECRET = UUID.randomUUID().toString();

    @BeforeAll
    static void aRealmAdminClient() {
        KeycloakAdmin.createRealmAdminClient(CLIENT, SECRET, "manage-authorization");
    }

    @AfterAll
    static void removeIt() {
        KeycloakAdmin.deleteClient(CLIENT);
    }

    private static AdminCli.Run access(String... arguments) throws IOException, InterruptedException {
        String[] command = new String[arguments.length + 1];
        command[0] = "access";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        return AdminCli.run(CLIENT, SECRET, command);
    }

    private static int bobReads(String experimentId) {
        return gatewayAs("bob").queryParam("experiment_id", experimentId).get("/api/2.0/mlflow/experiments/get").statusCode();
    }

    @Test
    void anAdminScriptGrantsExplainsAndRevokesByTheExperimentsName() throws Exception {
        String name = "access-cli-" + UUID.randomUUID();
        String id = createExperiment("alice", name);

        AdminCli.Run grant = access("grant", "experiment", name, "group:team-a", "read");
        assertThat(grant.exit()).as(grant.err()).isZero();
        assertThat(grant.out()).isEqualTo("group team-a: read via grant");
        assertThat(bobReads(id)).isEqualTo(200);

        AdminCli.Run explain = access("explain", "experiment", name, "--user", "bob");
        assertThat(explain.out()).contains("read: yes, grant 'experiment " + name + " (" + id + "): group team-a'")
                .contains("update: no (ask its owner alice or an MLflow admin)");
        assertThat(access("list", "experiment", name).out()).isEqualTo("group team-a: read via grant");

        AdminCli.Run revoke = access("revoke", "experiment", name, "group:team-a");
        assertThat(revoke.exit()).as(revoke.err()).isZero();
        assertThat(bobReads(id)).isEqualTo(403);
        assertThat(access("list", "experiment", id, "--id").out()).isEqualTo("no grants or shares");
    }

    @Test
    void whatTheApiRefusesIsAnErrorWithItsReason() throws Exception {
        AdminCli.Run unknown = access("list", "experiment", "no-such-" + UUID.randomUUID());
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("mlflow-keycloak access: 404: MLflow knows no experiment");
    }
}
