package io.github.mlflowkeycloak.check;

import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.Scope;

/**
 * What a refusal tells the caller: the scope that is missing and how to get it. It names the
 * object that lacks it, and its owner, only when the caller reads that object: anyone else may
 * not know that it exists.
 */
final class DenialMessages {

    private DenialMessages() {
    }

    static String missingScope(Access.Scoped missing, String clientId) {
        String needs = "Permission denied: this needs the '" + missing.scope().scopeName() + "' scope ";
        String roles = "a realm administrator can grant it with a role of the client '" + clientId + "' (viewer, editor, admin).";
        return switch (missing.kind()) {
            case EXPERIMENT, REGISTERED_MODEL -> {
                String kind = missing.kind().resourceName().replace('-', ' ');
                yield missing.scope() == Scope.CREATE
                        ? needs + "on the " + kind + " objects. A" + roles.substring(1)
                        : needs + "on the " + kind + " it names, or on every " + kind + ". Its owner can share it from the"
                                + " Keycloak Account Console; " + roles;
            }
            case GATEWAY -> needs + "on MLflow's AI gateway. A" + roles.substring(1);
            case SERVER -> needs + "on the MLflow server. A" + roles.substring(1);
        };
    }

    static final String IN_A_WORKSPACE = "Permission denied: experiments and registered models are created, renamed, deleted and"
            + " restored through the gateway only without X-MLFLOW-WORKSPACE, where Keycloak records their owners.";

    /** A rename the caller may make, but not into another namespace. */
    static String missingScopeToMove(Access.Scoped missing) {
        String kind = missing.kind().resourceName().replace('-', ' ');
        return "Permission denied: this name puts the " + kind + " in another namespace (the part of its name before the last"
                + " '/'), which changes who may reach it and needs the '" + missing.scope().scopeName() + "' scope on it; a new name"
                + " in the same namespace needs only 'update'.";
    }

    static String anothersNamespace(ResourceKind kind, String name) {
        String kindName = kind.resourceName().replace('-', ' ');
        return "Permission denied: the name '" + name + "' lies in another user's or group's namespace, whose user or members"
                + " would use the " + kindName + " you made there; naming one there needs the 'manage' scope on every " + kindName + ".";
    }

    /** A refusal on an object the caller reads: the same words, then which object and whom to ask. */
    static String missingScopeOn(Access.Scoped missing, String clientId, KnownObjects.Known object) {
        String whom = object.owner() == null ? "an MLflow admin (it has no owner)" : "its owner " + object.owner() + " or an MLflow admin";
        return missingScope(missing, clientId) + " You can read the " + object.label() + ": ask " + whom + " for '"
                + missing.scope().scopeName() + "' on it.";
    }
}
