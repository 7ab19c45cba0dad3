package io.github.mlflowkeycloak.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamespaceMovesTest {

    @Test
    void aNewNameInTheSameDirectoryKeepsEveryNamespace() {
        assertThat(NamespaceMoves.moves("churn", "churn-v2")).isFalse();
        assertThat(NamespaceMoves.moves("team-a/churn", "team-a/churn-v2")).isFalse();
        assertThat(NamespaceMoves.moves("users/alice/x/y", "users/alice/x/z")).isFalse();
    }

    @Test
    void aNewNameElsewhereMoves() {
        assertThat(NamespaceMoves.moves("churn", "users/bob/churn")).isTrue();
        assertThat(NamespaceMoves.moves("users/alice/churn", "churn")).isTrue();
        assertThat(NamespaceMoves.moves("team-a/churn", "team-b/churn")).isTrue();
        assertThat(NamespaceMoves.moves("org/churn", "org/team-a/churn")).isTrue();
        assertThat(NamespaceMoves.moves("users/alice/x/y", "users/alice/y")).isTrue();
        // A name ending in '/' is in no namespace below it: "users/bob/" is not bob's, "users/bob/x" is.
        assertThat(NamespaceMoves.moves("users/bob/", "users/bob/x")).isTrue();
        assertThat(NamespaceMoves.moves("team-a/", "team-a/x")).isTrue();
        // Letter case makes another group path: Keycloak's group names are case-sensitive.
        assertThat(NamespaceMoves.moves("team-a/churn", "Team-A/churn")).isTrue();
    }
}
