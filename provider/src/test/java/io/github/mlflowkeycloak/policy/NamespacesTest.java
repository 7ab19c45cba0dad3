package io.github.mlflowkeycloak.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.keycloak.models.GroupModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.ErrorResponseException;

class NamespacesTest {

    @Test
    void byDefaultUsersOwnUsersSlashTheirNameAndGroupsTheirPath() {
        Namespaces namespaces = Namespaces.parse(Map.of(), Namespaces.DEFAULT);
        UserModel bob = user("bob", group("team-a", null), group("vision", group("research", null)));
        assertThat(namespaces.contains("users/bob/churn", bob)).isTrue();
        assertThat(namespaces.contains("team-a/churn", bob)).isTrue();
        assertThat(namespaces.contains("research/vision/detector", bob)).isTrue();
        assertThat(namespaces.contains("vision/detector", bob)).isFalse();
        assertThat(namespaces.contains("users/bobby/churn", bob)).isFalse();
        assertThat(namespaces.contains("users/bob", bob)).isFalse();
        assertThat(namespaces.contains("users/bob/", bob)).isFalse();
        assertThat(namespaces.contains("team-ab/churn", bob)).isFalse();
        assertThat(namespaces.contains("churn", bob)).isFalse();
    }

    @Test
    void aGroupWithASlashInItsNameHasNoNamespace() {
        Namespaces namespaces = Namespaces.parse(Map.of(), Namespaces.DEFAULT);
        // The top-level group "team-a/ml" would otherwise own what subgroup "ml" of "team-a" owns.
        UserModel mallory = user("mallory", group("team-a/ml", null), group("x", group("a/b", null)));
        assertThat(namespaces.contains("team-a/ml/model", mallory)).isFalse();
        assertThat(namespaces.contains("a/b/x/model", mallory)).isFalse();
        UserModel member = user("member", group("ml", group("team-a", null)));
        assertThat(namespaces.contains("team-a/ml/model", member)).isTrue();
    }

    @Test
    void aGroupNamedLikeThePersonalPrefixGetsNoOnesPersonalNamespace() {
        UserModel mallory = user("mallory", group("users", null), group("alice", group("users", null)));
        assertThat(Namespaces.DEFAULT.contains("users/alice/churn", mallory)).isFalse();
        assertThat(Namespaces.DEFAULT.contains("users/mallory/churn", mallory)).isTrue();
        // A policy stored with a prefix of its own keeps the realm's personal namespaces from groups too.
        assertThat(Namespaces.parse(Map.of("userPrefix", "sandbox/"), Namespaces.DEFAULT).contains("users/alice/churn", mallory)).isFalse();
        assertThat(Namespaces.parse(Map.of("userPrefix", "sandbox/"), Namespaces.DEFAULT).contains("sandbox/alice/churn",
                user("eve", group("sandbox", null)))).isFalse();
        // The group-only type knows the realm's personal prefix too.
        assertThat(new Namespaces("", true, "users/").contains("users/alice/churn", mallory)).isFalse();
        assertThat(new Namespaces("", true, "").contains("users/alice/churn", mallory)).isTrue();
    }

    @Test
    void aNameIsAnothersInAnotherUsersNamespaceOrInAGroupsTheUserIsNotIn() {
        Namespaces namespaces = Namespaces.DEFAULT;
        UserModel bob = user("bob", group("team-a", null));
        java.util.function.Predicate<String> groups = name -> name.equals("team-a") || name.equals("team-b") || name.equals("org");
        assertThat(namespaces.isAnothers("users/alice/churn", bob, groups)).isTrue();
        // Of a user who may not have signed up yet, too.
        assertThat(namespaces.isAnothers("users/nobody-yet/churn", bob, groups)).isTrue();
        assertThat(namespaces.isAnothers("team-b/churn", bob, groups)).isTrue();
        assertThat(namespaces.isAnothers("org/ml/deep/churn", bob, groups)).isTrue();
        // bob's own, and names in no namespace.
        assertThat(namespaces.isAnothers("users/bob/churn", bob, groups)).isFalse();
        assertThat(namespaces.isAnothers("team-a/churn", bob, groups)).isFalse();
        assertThat(namespaces.isAnothers("projects/churn/v1", bob, groups)).isFalse();
        assertThat(namespaces.isAnothers("users/alice", bob, groups)).isFalse();
        assertThat(namespaces.isAnothers("users/alice/", bob, groups)).isFalse();
        assertThat(namespaces.isAnothers("team-b", bob, groups)).isFalse();
        assertThat(namespaces.isAnothers("team-b/", bob, groups)).isFalse();
        assertThat(namespaces.isAnothers("churn", bob, groups)).isFalse();
        // A policy without personal namespaces or without groups claims only what it gives.
        assertThat(new Namespaces("", true, "users/").isAnothers("users/alice/churn", bob, groups)).isFalse();
        assertThat(new Namespaces("users/", false).isAnothers("team-b/churn", bob, groups)).isFalse();
    }

    @Test
    void readsItsConfiguration() {
        Namespaces sandboxes = Namespaces.parse(Map.of("userPrefix", "sandbox/", "groups", "false"), Namespaces.DEFAULT);
        UserModel bob = user("bob", group("team-a", null));
        assertThat(sandboxes.contains("sandbox/bob/x", bob)).isTrue();
        assertThat(sandboxes.contains("users/bob/x", bob)).isFalse();
        assertThat(sandboxes.contains("team-a/x", bob)).isFalse();
        Namespaces groupsOnly = Namespaces.parse(Map.of("userPrefix", ""), Namespaces.DEFAULT);
        assertThat(groupsOnly.contains("bob/x", bob)).isFalse();
        assertThat(groupsOnly.contains("team-a/x", bob)).isTrue();
    }

    @Test
    void keepsOnlyItsOwnCheckedSettingsOfAStoredConfiguration() {
        assertThat(Namespaces.storedConfig(Map.of("userPrefix", "sandbox/", "groups", "FALSE", "code", "x")))
                .isEqualTo(Map.of("userPrefix", "sandbox/", "groups", "false"));
        assertThat(Namespaces.storedConfig(null)).isEmpty();
        assertThatThrownBy(() -> Namespaces.storedConfig(Map.of("userPrefix", "sandbox"))).isInstanceOf(ErrorResponseException.class);
    }

    private static UserModel user(String username, GroupModel... groups) {
        return (UserModel) Proxy.newProxyInstance(UserModel.class.getClassLoader(), new Class<?>[] {UserModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getUsername" -> username;
                    case "getGroupsStream" -> Stream.of(groups);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static GroupModel group(String name, GroupModel parent) {
        return (GroupModel) Proxy.newProxyInstance(GroupModel.class.getClassLoader(), new Class<?>[] {GroupModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getName" -> name;
                    case "getParent" -> parent;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
