package io.github.mlflowkeycloak.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.mlflowkeycloak.authorization.CallerPermissions;
import io.github.mlflowkeycloak.authorization.InstanceResources;
import io.github.mlflowkeycloak.authorization.ObjectPermissions;
import io.github.mlflowkeycloak.lookup.MlflowUnavailableException;
import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.Scope;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;

/**
 * The object a refusal may name: one the caller lacks a scope on but reads, so knows to exist.
 * Anything the caller does not read, existing or not, is not named.
 */
final class KnownObjects {

    /** How a refusal names it, and its owner's username (null: no one owns it). */
    record Known(String label, String owner) {
    }

    private KnownObjects() {
    }

    static Optional<Known> of(KeycloakSession session, ObjectPermissions objects, CallerPermissions permissions, Access.Scoped missing,
            Map<String, List<String>> ids) throws MlflowUnavailableException {
        if (missing.scope() == Scope.READ || missing.scope() == Scope.CREATE
                || (missing.kind() != ResourceKind.EXPERIMENT && missing.kind() != ResourceKind.REGISTERED_MODEL)) {
            return Optional.empty();
        }
        Optional<ObjectPermissions.NamedObject> lacking = objects.lacking(permissions, missing, ids);
        if (lacking.isEmpty() || !permissions.hasOn(lacking.get().kind(), Scope.READ, lacking.get().mlflowId())) {
            return Optional.empty();
        }
        ResourceKind kind = lacking.get().kind();
        String id = lacking.get().mlflowId();
        return Optional.of(InstanceResources.find(permissions.authorization(), permissions.resourceServer(), kind, id)
                .map(resource -> {
                    UserModel owner = session.users().getUserById(session.getContext().getRealm(), resource.getOwner());
                    return new Known(label(kind, id, resource.getDisplayName()), owner == null ? null : owner.getUsername());
                })
                .orElseGet(() -> new Known(label(kind, id, null), null)));
    }

    private static String label(ResourceKind kind, String id, String name) {
        String word = kind.resourceName().replace('-', ' ');
        if (kind == ResourceKind.EXPERIMENT) {
            return name == null ? word + " " + id : word + " '" + name + "' (" + id + ")";
        }
        return word + " '" + id + "'";
    }
}
