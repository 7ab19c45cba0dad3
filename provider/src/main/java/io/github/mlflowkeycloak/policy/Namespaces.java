package io.github.mlflowkeycloak.policy;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import jakarta.ws.rs.core.Response;
import org.keycloak.models.GroupModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.ErrorResponseException;

/**
 * The namespaces a policy gives: an MLflow name under {@code <userPrefix><username>/} belongs to
 * that user, one under {@code <group path>/} (the path without its leading slash:
 * {@code team-a/…}, {@code org/team-a/…}) to the group's members, except under the prefix of
 * personal namespaces: a group named {@code users} gets no one's personal namespace.
 *
 * @param userPrefix     the prefix of personal namespaces this policy gives; empty: none
 * @param groups         whether groups have namespaces
 * @param personalPrefix the prefix of the realm's personal namespaces, which no group's covers; empty: none
 */
record Namespaces(String userPrefix, boolean groups, String personalPrefix) {

    Namespaces(String userPrefix, boolean groups) {
        this(userPrefix, groups, userPrefix);
    }

    /** The configuration keys of policies of type mlflow-namespace stored by earlier releases. */
    static final String USER_PREFIX = "userPrefix";
    static final String GROUPS = "groups";
    static final Namespaces DEFAULT = new Namespaces("users/", true);

    /** A stored configuration; what it leaves out comes from {@code defaults}. */
    static Namespaces parse(Map<String, String> config, Namespaces defaults) {
        String prefix = config.get(USER_PREFIX);
        String groups = config.get(GROUPS);
        return new Namespaces(prefix == null ? defaults.userPrefix : prefix,
                groups == null ? defaults.groups : Boolean.parseBoolean(groups), defaults.personalPrefix);
    }

    /** The part of a configuration that is ours, checked; nothing else is stored. */
    static Map<String, String> storedConfig(Map<String, String> config) {
        Map<String, String> stored = new HashMap<>();
        if (config == null) {
            return stored;
        }
        if (config.get(USER_PREFIX) != null) {
            stored.put(USER_PREFIX, checkedPrefix(config.get(USER_PREFIX)));
        }
        if (config.get(GROUPS) != null) {
            stored.put(GROUPS, Boolean.toString(Boolean.parseBoolean(config.get(GROUPS))));
        }
        return stored;
    }

    static String checkedPrefix(String prefix) {
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new ErrorResponseException("invalid_policy", "a user namespace prefix must be empty or end with '/'", Response.Status.BAD_REQUEST);
        }
        return prefix;
    }

    /** Whether the MLflow name sits in one of the user's namespaces. */
    boolean contains(String mlflowName, UserModel user) {
        if (!userPrefix.isEmpty() && startsWithSegment(mlflowName, userPrefix + user.getUsername())) {
            return true;
        }
        return groupsCover(mlflowName)
                && user.getGroupsStream().map(Namespaces::path).anyMatch(path -> path != null && startsWithSegment(mlflowName, path));
    }

    /**
     * Whether the MLflow name sits in a namespace of this policy that is not the user's: another
     * user's (who may not have signed up yet), or that of a group the user is not in. Every group
     * path starts with a top-level group's name, so only the name's first segment is looked up.
     *
     * @param isTopLevelGroup whether a top-level group has this name
     */
    boolean isAnothers(String mlflowName, UserModel user, Predicate<String> isTopLevelGroup) {
        if (contains(mlflowName, user)) {
            return false;
        }
        if (!userPrefix.isEmpty() && mlflowName.startsWith(userPrefix)) {
            int end = mlflowName.indexOf('/', userPrefix.length());
            if (end > userPrefix.length() && end < mlflowName.length() - 1) {
                return true;
            }
        }
        if (!groupsCover(mlflowName)) {
            return false;
        }
        int slash = mlflowName.indexOf('/');
        return slash > 0 && slash < mlflowName.length() - 1 && isTopLevelGroup.test(mlflowName.substring(0, slash));
    }

    private boolean groupsCover(String mlflowName) {
        return groups && !underPrefix(mlflowName, personalPrefix) && !underPrefix(mlflowName, userPrefix);
    }

    private static boolean underPrefix(String mlflowName, String prefix) {
        return !prefix.isEmpty() && mlflowName.startsWith(prefix);
    }

    static boolean startsWithSegment(String name, String namespace) {
        return name.length() > namespace.length() + 1 && name.startsWith(namespace) && name.charAt(namespace.length()) == '/';
    }

    /**
     * The group's namespace, its path; null for a group on a path with a '/' in a name, which would
     * read as another group's path ("team-a/ml" the top-level group, or "ml" in "team-a").
     */
    static String path(GroupModel group) {
        StringBuilder path = new StringBuilder();
        for (GroupModel level = group; level != null; level = level.getParent()) {
            if (level.getName().indexOf('/') >= 0) {
                return null;
            }
            path.insert(0, level.getName()).insert(0, '/');
        }
        return path.substring(1);
    }
}
