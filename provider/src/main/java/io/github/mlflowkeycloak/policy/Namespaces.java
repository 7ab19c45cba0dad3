package io.github.mlflowkeycloak.policy;

import java.util.Map;

import org.keycloak.models.GroupModel;
import org.keycloak.models.UserModel;

/**
 * The namespaces of a namespace policy, parsed once from its configuration: an MLflow name under
 * {@code <userPrefix><username>/} belongs to that user, one under {@code <group path>/} (the
 * path without its leading slash: {@code team-a/…}, {@code org/team-a/…}) to the group's members.
 *
 * @param userPrefix the prefix of personal namespaces; empty: no personal namespaces
 * @param groups     whether groups have namespaces
 */
record Namespaces(String userPrefix, boolean groups) {

    static final String USER_PREFIX = "userPrefix";
    static final String GROUPS = "groups";
    static final Namespaces DEFAULT = new Namespaces("users/", true);

    static Namespaces parse(Map<String, String> config) {
        String prefix = config.get(USER_PREFIX);
        String groups = config.get(GROUPS);
        return new Namespaces(prefix == null ? DEFAULT.userPrefix : prefix,
                groups == null ? DEFAULT.groups : Boolean.parseBoolean(groups));
    }

    /** Whether the MLflow name sits in one of the user's namespaces. */
    boolean contains(String mlflowName, UserModel user) {
        if (!userPrefix.isEmpty() && startsWithSegment(mlflowName, userPrefix + user.getUsername())) {
            return true;
        }
        return groups && user.getGroupsStream().anyMatch(group -> startsWithSegment(mlflowName, path(group)));
    }

    private static boolean startsWithSegment(String name, String namespace) {
        return name.length() > namespace.length() + 1 && name.startsWith(namespace) && name.charAt(namespace.length()) == '/';
    }

    private static String path(GroupModel group) {
        StringBuilder path = new StringBuilder(group.getName());
        for (GroupModel parent = group.getParent(); parent != null; parent = parent.getParent()) {
            path.insert(0, '/').insert(0, parent.getName());
        }
        return path.toString();
    }
}
