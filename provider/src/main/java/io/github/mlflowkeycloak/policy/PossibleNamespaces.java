package io.github.mlflowkeycloak.policy;

import java.util.List;
import java.util.Objects;

import org.keycloak.models.UserModel;

/**
 * Whether an MLflow name could sit in one of a user's {@link Namespaces}, under any namespace
 * policy whatever its prefix: a personal namespace is {@code <prefix><username>/…} with a prefix
 * that ends with '/' (an empty one gives none), a group's is {@code <group path>/…}. A name for
 * which this is false is granted by no namespace policy, which lets a filtered search skip
 * evaluating it.
 */
public final class PossibleNamespaces {

    private final String username;
    private final List<String> groupPaths;

    private PossibleNamespaces(String username, List<String> groupPaths) {
        this.username = username;
        this.groupPaths = groupPaths;
    }

    public static PossibleNamespaces of(UserModel user) {
        return new PossibleNamespaces(user.getUsername(), user.getGroupsStream().map(Namespaces::path).filter(Objects::nonNull).toList());
    }

    public boolean mayContain(String mlflowName) {
        if (mlflowName.contains("/" + username + "/")) {
            return true;
        }
        for (String path : groupPaths) {
            if (Namespaces.startsWithSegment(mlflowName, path)) {
                return true;
            }
        }
        return false;
    }
}
