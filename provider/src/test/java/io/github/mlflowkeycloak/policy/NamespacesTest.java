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
