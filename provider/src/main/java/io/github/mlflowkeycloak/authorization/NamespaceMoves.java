package io.github.mlflowkeycloak.authorization;

import java.util.List;
import java.util.Optional;

import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.Scope;
import org.keycloak.authorization.model.Resource;

/**
 * Renames that move an experiment or a registered model between namespaces. The namespace
 * policies follow an object's current MLflow name, so moving it to {@code users/bob/…} or
 * {@code team-b/…} lets other users in: that is sharing it, which needs {@code manage} on the
 * object, where a rename needs only {@code update}. Without this, a user given {@code update}
 * would share the object onwards, or win {@code delete} by moving it into their own namespace.
 *
 * <p>Namespaces are decided on the part of the name before its last {@code /}, so a rename that
 * keeps that part keeps every namespace; any other needs {@code manage}, whether or not the
 * new name is anyone's namespace (cheap to decide, never too lenient). An object without an
 * instance resource is in no namespace, before or after.
 */
public final class NamespaceMoves {

    private NamespaceMoves() {
    }

    /**
     * @param mlflowId the experiment id or registered model name the rename acts on
     * @param newNames the names the request gives it
     * @return {@code manage} on the kind, when the caller lacks it on an object the rename moves
     */
    public static Optional<Access.Scoped> missing(CallerPermissions permissions, ResourceKind kind, String mlflowId,
            List<String> newNames) {
        if (newNames.isEmpty()) {
            return Optional.empty();
        }
        Optional<Resource> resource = InstanceResources.find(permissions.authorization(), permissions.resourceServer(), kind, mlflowId);
        if (resource.isEmpty()) {
            return Optional.empty();
        }
        String current = resource.get().getSingleAttribute(InstanceResources.MLFLOW_NAME_ATTRIBUTE);
        String from = current == null ? mlflowId : current;
        boolean moves = newNames.stream().anyMatch(to -> moves(from, to));
        return moves && !permissions.hasOn(kind, Scope.MANAGE, mlflowId)
                ? Optional.of(new Access.Scoped(kind, Scope.MANAGE)) : Optional.empty();
    }

    /** Whether a rename from one MLflow name to another changes the part before the last '/' that something follows. */
    static boolean moves(String from, String to) {
        return !directory(from).equals(directory(to));
    }

    /**
     * The longest prefix of the name that a namespace could be: up to a '/' that something follows
     * ({@code users/bob/} is in no namespace of bob's, {@code users/bob/x} is). Every shorter one
     * is a prefix of it, so two names with the same one are in the same namespaces.
     */
    private static String directory(String name) {
        int slash = name.length() < 2 ? -1 : name.lastIndexOf('/', name.length() - 2);
        return slash < 0 ? "" : name.substring(0, slash);
    }
}
