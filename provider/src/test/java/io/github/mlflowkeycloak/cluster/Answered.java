package io.github.mlflowkeycloak.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;

/** How many requests of one path each Keycloak node answered since this was taken. */
final class Answered {

    private final String path;
    private final Map<KeycloakNode, Long> before = new EnumMap<>(KeycloakNode.class);

    private Answered(String path) {
        this.path = path;
        for (KeycloakNode node : KeycloakNode.values()) {
            before.put(node, node.answered(path));
        }
    }

    static Answered since(String path) {
        return new Answered(path);
    }

    /** Per node; a node logs a request once it has answered it, so the last ones are waited for. */
    Map<KeycloakNode, Long> perNode() throws InterruptedException {
        Thread.sleep(500);
        Map<KeycloakNode, Long> since = new EnumMap<>(KeycloakNode.class);
        for (KeycloakNode node : KeycloakNode.values()) {
            since.put(node, node.answered(path) - before.get(node));
        }
        return since;
    }

    /** Both nodes answered some of the requests since, together at least {@code requests}. */
    void assertBothNodesAnswered(int requests) throws InterruptedException {
        Map<KeycloakNode, Long> since = perNode();
        assertThat(since.values()).as(path + " answered per node: " + since).allMatch(count -> count > 0);
        assertThat(since.values().stream().mapToLong(Long::longValue).sum()).as(path + " answered per node: " + since)
                .isGreaterThanOrEqualTo(requests);
    }

    /** The node that answered the one request since. */
    KeycloakNode theOnlyNode() throws InterruptedException {
        Map<KeycloakNode, Long> since = perNode();
        assertThat(since.values().stream().mapToLong(Long::longValue).sum()).as(path + " answered per node: " + since).isEqualTo(1);
        return since.get(KeycloakNode.KEYCLOAK_1) == 1 ? KeycloakNode.KEYCLOAK_1 : KeycloakNode.KEYCLOAK_2;
    }
}
