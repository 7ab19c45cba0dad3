package io.github.mlflowkeycloak.authorization;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.Scope;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.authorization.store.ResourceStore;
import org.keycloak.authorization.store.ScopeStore;

/**
 * One Keycloak resource per experiment ({@code experiment/<id>}) and per registered model
 * ({@code registered-model/<name>}): typed as its kind's type resource, so that the role and
 * group permissions of the kind apply to it; owned by its creator, with owner-managed access, so
 * that the owner shares it from the Account Console. The MLflow name is its display name and its
 * {@value #MLFLOW_NAME_ATTRIBUTE} attribute, which namespace policies read.
 *
 * <p>Resource names are unique per owner only, and a lookup by name across owners is a database
 * query. So each instance gets an id derived from its name: a lookup by that id goes through
 * Keycloak's cache, and a name check guards against a renamed model; only when that fails (a
 * model renamed, or its derived id taken by a renamed one) does a query by name run.
 */
public final class InstanceResources {

    public static final String MLFLOW_NAME_ATTRIBUTE = "mlflow.name";
    /**
     * The longest MLflow name an instance can hold: Keycloak keeps resource names, display names
     * and attribute values in columns of 255 characters, and a model's resource name is
     * {@code registered-model/<name>}.
     */
    public static final int MAX_MLFLOW_NAME_LENGTH = 255 - "registered-model/".length();
    /** The scopes an owner can share; {@code create} is a kind-wide scope, not an instance's. */
    static final List<Scope> INSTANCE_SCOPES = List.of(Scope.READ, Scope.UPDATE, Scope.DELETE, Scope.MANAGE);

    private InstanceResources() {
    }

    /** The resource name of an MLflow object: {@code experiment/<id>}, {@code registered-model/<name>}. */
    public static String name(ResourceKind kind, String mlflowId) {
        return kind.resourceName() + "/" + mlflowId;
    }

    public static Optional<Resource> find(AuthorizationProvider authorization, ResourceServer resourceServer, String name) {
        ResourceStore resources = authorization.getStoreFactory().getResourceStore();
        Resource derived = resources.findById(resourceServer, derivedId(resourceServer, name));
        if (derived != null && derived.getName().equals(name)) {
            return Optional.of(derived);
        }
        // The store matches names without regard to case, MLflow's names are case-sensitive: "Churn" is not "churn".
        List<Resource> found = resources.find(resourceServer, Map.of(Resource.FilterOption.EXACT_NAME, new String[] {name}), -1, -1)
                .stream().filter(resource -> resource.getName().equals(name)).toList();
        // Names of instances are unique: we create them, and remove the old one first.
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    /**
     * Records {@code ownerId} as the owner of a newly created MLflow object. A resource left
     * under that name (an object deleted in MLflow, whose name is free again) is removed first,
     * with whatever was shared of it: the new object is another one.
     */
    public static Resource create(AuthorizationProvider authorization, ResourceServer resourceServer, ResourceKind kind,
            String mlflowId, String mlflowName, String ownerId) {
        String name = name(kind, mlflowId);
        ResourceStore resources = authorization.getStoreFactory().getResourceStore();
        remove(authorization, resourceServer, name);
        String id = derivedId(resourceServer, name);
        Resource resource = resources.findById(resourceServer, id) == null
                ? resources.create(resourceServer, id, name, ownerId)
                : resources.create(resourceServer, name, ownerId);
        resource.setType(typeOf(authorization, resourceServer, kind));
        resource.setDisplayName(mlflowName);
        resource.setAttribute(MLFLOW_NAME_ATTRIBUTE, List.of(mlflowName));
        resource.setOwnerManagedAccess(true);
        ScopeStore scopes = authorization.getStoreFactory().getScopeStore();
        Set<org.keycloak.authorization.model.Scope> instanceScopes = new HashSet<>();
        for (Scope scope : INSTANCE_SCOPES) {
            org.keycloak.authorization.model.Scope model = scopes.findByName(resourceServer, scope.scopeName());
            if (model != null) {
                instanceScopes.add(model);
            }
        }
        resource.updateScopes(instanceScopes);
        return resource;
    }

    /** A registered model renamed in MLflow keeps its owner and its shares under the new name. */
    public static void rename(AuthorizationProvider authorization, ResourceServer resourceServer, ResourceKind kind,
            String oldMlflowName, String newMlflowName) {
        find(authorization, resourceServer, name(kind, oldMlflowName)).ifPresent(resource -> {
            remove(authorization, resourceServer, name(kind, newMlflowName));
            resource.setName(name(kind, newMlflowName));
            resource.setDisplayName(newMlflowName);
            resource.setAttribute(MLFLOW_NAME_ATTRIBUTE, List.of(newMlflowName));
        });
    }

    /** Removes the instance, with its shares and the permissions that name it alone. */
    public static void remove(AuthorizationProvider authorization, ResourceServer resourceServer, String name) {
        find(authorization, resourceServer, name)
                .ifPresent(resource -> authorization.getStoreFactory().getResourceStore().delete(resource.getId()));
    }

    private static String typeOf(AuthorizationProvider authorization, ResourceServer resourceServer, ResourceKind kind) {
        Resource typeResource = authorization.getStoreFactory().getResourceStore().findByName(resourceServer, kind.resourceName());
        return typeResource != null && typeResource.getType() != null ? typeResource.getType() : "urn:mlflow:" + kind.resourceName();
    }

    static String derivedId(ResourceServer resourceServer, String name) {
        return UUID.nameUUIDFromBytes((resourceServer.getId() + "\n" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
