package io.github.mlflowkeycloak.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.keycloak.models.GroupModel;
import org.keycloak.models.UserModel;

class PossibleNamespacesTest {

    private static final UserModel ALICE = user("alice", List.of(group("team-a", null), group("ml", group("org", null)),
            group("a/b", null)));
    private static final PossibleNamespaces POSSIBLE = PossibleNamespaces.of(ALICE);
    private static final List<String> NAMES = List.of("users/alice/exp", "people/alice/exp", "x/y/alice/exp", "alice/exp",
            "team-a/exp", "org/ml/exp", "org/ml/deep/exp", "alice-exp", "users/alicia/exp", "users/bob/alice", "team-b/exp",
            "org/exp", "ml/exp", "team-a", "a/b/exp", "users/alice", "users/alice/");

    @Test
    void everyNameANamespacePolicyGrantsIsPossibleWhateverItsPrefix() {
        for (String prefix : List.of("users/", "people/", "x/y/", "")) {
            Namespaces policy = new Namespaces(prefix, true);
            assertThat(NAMES).filteredOn(name -> policy.contains(name, ALICE)).allMatch(POSSIBLE::mayContain);
        }
        assertThat(List.of("users/alice/exp", "people/alice/exp", "team-a/exp", "org/ml/exp", "org/ml/deep/exp"))
                .allMatch(POSSIBLE::mayContain);
    }

    @Test
    void namesNoNamespacePolicyCanGrantAreNot() {
        // Without a prefix there are no personal namespaces; a group with '/' in its name has none.
        assertThat(List.of("alice/exp", "alice-exp", "users/alicia/exp", "users/bob/alice", "team-b/exp", "org/exp", "ml/exp",
                "team-a", "a/b/exp", "users/alice")).noneMatch(POSSIBLE::mayContain);
    }

    private static UserModel user(String username, List<GroupModel> groups) {
        return (UserModel) Proxy.newProxyInstance(UserModel.class.getClassLoader(), new Class<?>[] {UserModel.class}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "getUsername" -> username;
                    case "getGroupsStream" -> groups.stream();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static GroupModel group(String name, GroupModel parent) {
        return (GroupModel) Proxy.newProxyInstance(GroupModel.class.getClassLoader(), new Class<?>[] {GroupModel.class}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "getName" -> name;
                    case "getParent" -> parent;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
