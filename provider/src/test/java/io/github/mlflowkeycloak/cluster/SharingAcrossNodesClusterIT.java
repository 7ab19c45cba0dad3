package io.github.mlflowkeycloak.cluster;

import static io.github.mlflowkeycloak.cluster.KeycloakNode.KEYCLOAK_1;
import static io.github.mlflowkeycloak.cluster.KeycloakNode.KEYCLOAK_2;
import static io.github.mlflowkeycloak.gateway.MlflowObjects.createExperiment;
import static io.github.mlflowkeycloak.stack.LocalStack.gateway;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.mlflowkeycloak.stack.LocalStack;
import org.junit.jupiter.api.Test;

/**
 * Shares, revocations and owners are Keycloak's own data, so every node decides on them alike:
 * what is recorded through one node holds at the next request, whichever node the gateway asks.
 */
class SharingAcrossNodesClusterIT {

    /** Enough requests through the gateway that both nodes answer some (it alternates). */
    private static final int REQUESTS = 30;

    @Test
    void aShareThroughKeycloak2OpensTheExperimentOnBothNodesAndARevocationThroughKeycloak1ClosesIt() throws Exception {
        String experimentId = createExperiment("alice", "alice-shared-" + UUID.randomUUID());
        String bob = LocalStack.token("bob");
        assertThat(bobReads(experimentId, bob)).as("before the share").containsOnly(403);

        String resource = KEYCLOAK_2.resourceId("alice", "experiment/" + experimentId);
        KEYCLOAK_2.share("alice", resource, "bob", List.of("read"));
        Answered shared = Answered.since(KeycloakNode.CHECK);
        assertThat(bobReads(experimentId, bob)).as("bob's requests after the share through keycloak-2").containsOnly(200);
        shared.assertBothNodesAnswered(REQUESTS);

        KEYCLOAK_1.share("alice", resource, "bob", List.of());
        Answered revoked = Answered.since(KeycloakNode.CHECK);
        assertThat(bobReads(experimentId, bob)).as("bob's requests after the revocation through keycloak-1").containsOnly(403);
        revoked.assertBothNodesAnswered(REQUESTS);
    }

    @Test
    void anOwnerRecordedThroughOneNodeIsEnforcedByTheOther() throws Exception {
        // The gateway reports each create to one node; create until each node has recorded an owner.
        List<KeycloakNode> recordedBy = new ArrayList<>();
        for (int attempt = 0; attempt < 8 && !recordedBy.containsAll(List.of(KEYCLOAK_1, KEYCLOAK_2)); attempt++) {
            // The gateway takes turns between the nodes: another request first moves the turn.
            for (int shift = 0; shift < attempt; shift++) {
                gateway().auth().oauth2(LocalStack.token("alice")).get("/api/2.0/mlflow/experiments/search?max_results=1");
            }
            Answered report = Answered.since(KeycloakNode.OBJECT_EVENTS);
            String experimentId = createExperiment("alice", "alice-owned-" + UUID.randomUUID());
            KeycloakNode recorder = report.theOnlyNode();
            recordedBy.add(recorder);

            String read = "/api/2.0/mlflow/experiments/get?experiment_id=" + experimentId;
            String delete = "/api/2.0/mlflow/experiments/delete";
            String body = "{\"experiment_id\": \"" + experimentId + "\"}";
            KeycloakNode other = recorder.other();
            other.check("GET", read).auth().oauth2(other.token("alice")).get().then().statusCode(204);
            other.check("POST", delete).auth().oauth2(other.token("alice")).body(body).post().then().statusCode(204);
            other.check("GET", read).auth().oauth2(other.token("bob")).get().then().statusCode(403);
            other.check("POST", delete).auth().oauth2(other.token("bob")).body(body).post().then().statusCode(403);
        }
        assertThat(recordedBy).as("the nodes that recorded an owner").contains(KEYCLOAK_1, KEYCLOAK_2);
    }

    private static List<Integer> bobReads(String experimentId, String token) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            statuses.add(gateway().auth().oauth2(token).queryParam("experiment_id", experimentId)
                    .get("/api/2.0/mlflow/experiments/get").statusCode());
        }
        return statuses;
    }
}
