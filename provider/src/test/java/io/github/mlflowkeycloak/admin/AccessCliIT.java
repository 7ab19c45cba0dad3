package io.github.mlflowkeycloak.admin;

import static io.github.mlflowkeycloak.gateway.MlflowObjects.createExperiment;
import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.github.mlflowkeycloak.stack.KeycloakAdmin;
import io.github.mlflowkeycloak.stack.LocalStack;
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

    private record Run(int exit, String out, String err) {
    }

    private static Run access(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LocalStack.STACK_DIR.resolve("venv/bin/mlflow-keycloak").toString(), "access"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("MLFLOW_TRACKING_URI", LocalStack.gatewayUrl());
        builder.environment().put("MLFLOW_KEYCLOAK_ADMIN_CLIENT_ID", CLIENT);
        builder.environment().put("MLFLOW_KEYCLOAK_ADMIN_CLIENT_SECRET", SECRET);
        Process process = builder.start();
        process.getOutputStream().close();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), out.strip(), err.strip());
    }

    private static int bobReads(String experimentId) {
        return gatewayAs("bob").queryParam("experiment_id", experimentId).get("/api/2.0/mlflow/experiments/get").statusCode();
    }

    @Test
    void anAdminScriptGrantsExplainsAndRevokesByTheExperimentsName() throws Exception {
        String name = "access-cli-" + UUID.randomUUID();
        String id = createExperiment("alice", name);

        Run grant = access("grant", "experiment", name, "group:team-a", "read");
        assertThat(grant.exit()).as(grant.err()).isZero();
        assertThat(grant.out()).isEqualTo("group team-a: read via grant");
        assertThat(bobReads(id)).isEqualTo(200);

        Run explain = access("explain", "experiment", name, "--user", "bob");
        assertThat(explain.out()).contains("read: yes, grant 'experiment " + name + " (" + id + "): group team-a'")
                .contains("update: no (ask its owner alice or an MLflow admin)");
        assertThat(access("list", "experiment", name).out()).isEqualTo("group team-a: read via grant");

        Run revoke = access("revoke", "experiment", name, "group:team-a");
        assertThat(revoke.exit()).as(revoke.err()).isZero();
        assertThat(bobReads(id)).isEqualTo(403);
        assertThat(access("list", "experiment", id, "--id").out()).isEqualTo("no grants or shares");
    }

    @Test
    void whatTheApiRefusesIsAnErrorWithItsReason() throws Exception {
        Run unknown = access("list", "experiment", "no-such-" + UUID.randomUUID());
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("mlflow-keycloak access: 404: MLflow knows no experiment");
    }
}
