package io.github.mlflowkeycloak.cluster;

import static io.github.mlflowkeycloak.cluster.KeycloakNode.KEYCLOAK_2;
import static io.github.mlflowkeycloak.gateway.MlflowObjects.createExperiment;
import static io.github.mlflowkeycloak.stack.LocalStack.gatewayAs;
import static io.github.mlflowkeycloak.stack.LocalStack.gatewayUrl;
import static io.github.mlflowkeycloak.stack.LocalStack.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;

import io.github.mlflowkeycloak.cluster.GatewayLoad.Probe;
import io.github.mlflowkeycloak.cluster.GatewayLoad.Result;
import io.github.mlflowkeycloak.stack.LocalStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * keycloak-2 goes away under load through the gateway, stopped or crashed, and comes back: no
 * request that must be refused is ever let through, and the errors clients see meanwhile are
 * counted and bounded (the figures are printed: the README's sizing notes quote them).
 */
class NodeStopUnderLoadClusterIT {

    /** Errors clients may see while a node goes or comes back: at most this share of the requests. */
    private static final double ERROR_BOUND = 0.02;

    private String experimentId;

    @BeforeEach
    void anExperimentOfAlices() {
        experimentId = createExperiment("alice", "alice-load-" + UUID.randomUUID());
    }

    @AfterEach
    void keycloak2RunsAndNothingWasDeleted() throws Exception {
        LocalStack.binStack("up", KEYCLOAK_2.service());
        gatewayAs("alice").queryParam("experiment_id", experimentId).get("/api/2.0/mlflow/experiments/get")
                .then().statusCode(200).body("experiment.lifecycle_stage", equalTo("active"));
    }

    @Test
    void aNodeStoppedAndStartedAgainUnderLoad() throws Exception {
        Result stopping = underLoad("keycloak-2 stopped (bin/stack down keycloak-2)", true,
                () -> LocalStack.binStack("down", KEYCLOAK_2.service()));
        Result starting = underLoad("keycloak-2 started again (bin/stack up keycloak-2)", false,
                () -> LocalStack.binStack("up", KEYCLOAK_2.service()));
        assertWithinBounds(stopping, starting);
    }

    @Test
    void aNodeCrashedAndStartedAgainUnderLoad() throws Exception {
        Result crashing = underLoad("keycloak-2 killed (SIGKILL)", true, () -> {
            long group = Long.parseLong(Files.readString(LocalStack.STACK_DIR.resolve("run/keycloak-2.pid")).strip());
            assertThat(new ProcessBuilder("kill", "-KILL", "--", "-" + group).inheritIO().start().waitFor()).isZero();
        });
        Result starting = underLoad("keycloak-2 started again after the crash (bin/stack up keycloak-2)", false,
                () -> LocalStack.binStack("up", KEYCLOAK_2.service()));
        assertWithinBounds(crashing, starting);
    }

    private interface Change {
        void make() throws Exception;
    }

    /**
     * The load runs for three seconds before the change (both nodes answering, if {@code bothBefore})
     * and five after it; after a start, both nodes answer again.
     */
    private Result underLoad(String change, boolean bothBefore, Change make) throws Exception {
        GatewayLoad load = GatewayLoad.start(probes());
        Answered before = Answered.since(KeycloakNode.CHECK);
        Thread.sleep(3000);
        if (bothBefore) {
            before.assertBothNodesAnswered(1);
        }
        make.make();
        Answered after = Answered.since(KeycloakNode.CHECK);
        Thread.sleep(5000);
        Result result = load.stop();
        if (!bothBefore) {
            after.assertBothNodesAnswered(1);
        }
        System.out.println(change + " under load: " + result);
        return result;
    }

    private static void assertWithinBounds(Result... results) {
        for (Result result : results) {
            assertThat(result.wronglyAllowed()).as(result.toString()).isZero();
            assertThat(result.requests()).as(result.toString()).isGreaterThan(100);
            assertThat(result.errorRate()).as(result.toString()).isLessThanOrEqualTo(ERROR_BOUND);
        }
    }

    /** alice reads her experiment; bob may neither read nor delete it; nobody signed in may not ask. */
    private List<Probe> probes() {
        String read = gatewayUrl() + "/api/2.0/mlflow/experiments/get?experiment_id=" + experimentId;
        String delete = gatewayUrl() + "/api/2.0/mlflow/experiments/delete";
        String alice = "Bearer " + token("alice");
        String bob = "Bearer " + token("bob");
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString("{\"experiment_id\": \"" + experimentId + "\"}");
        return List.of(
                new Probe("alice reads", GatewayLoad.to(read).header("Authorization", alice).build(), 200),
                new Probe("bob reads", GatewayLoad.to(read).header("Authorization", bob).build(), 403),
                new Probe("bob deletes", GatewayLoad.to(delete).header("Authorization", bob)
                        .header("Content-Type", "application/json").POST(body).build(), 403),
                new Probe("nobody reads", GatewayLoad.to(read).build(), 401));
    }
}
