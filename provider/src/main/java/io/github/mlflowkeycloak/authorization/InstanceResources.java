package io.github.mlflowkeycloak.authorization;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * One Keycloak resource per experiment and per registered model, named as {@link InstanceNames}
 * says: typed as its kind's type resource, so that the role and group permissions of the kind
 * apply to it; owned by its creator, with owner-managed access, so that the owner shares it from
 * the Account Console. One that no one owns (an object older than the gateway, given a grant by an
 * admin) is the resource server's, and untyped: Keycloak applies the permissions of every resource
 * of a type that the resource server owns to every object of the type, so a grant on it would
 * hold for every object of the kind (and the kind's permissions never applied to it anyway).
 * The MLflow name is its display name and its {@value #MLFLOW_NAME_ATTRIBUTE}
 * attribute, which namespace policies read; an experiment deleted in MLflow (and not yet
 * restored or garbage-collected) has {@value #LIFECYCLE_STAGE_ATTRIBUTE} {@code deleted}.
 *
 * <p>Resource names are unique per owner only, and a lookup by name across owners is a database
 * query. So each instance gets an id derived from its key ({@link InstanceNames#key}): a lookup by
 * that id goes through Keycloak's cache, and a name check guards against a renamed model; only
 * when that fails (a model renamed, or its derived id taken by a renamed one) does a query by
 * name run.
 */
public final class InstanceResources {

    public static final String MLFLOW_NAME_ATTRIBUTE = "mlflow.name";
    /** MLflow's word for it: an experiment's lifecycle stage is active or deleted. */
    public static final String LIFECYCLE_STAGE_ATTRIBUTE = "mlflow.lifecycle_stage";
    static final String DELETED = "deleted";
    /**
     * The longest MLflow name an instance can hold: Keycloak keeps resource names, display names
     * and attribute values in columns of 255 characters, and a model's resource name is
     * {@code registered-model/<name>}.
     */
    public static final int MAX_MLFLOW_NAME_LENGTH = InstanceNames.MAX_LENGTH - "registered-model/".length();
    /** The scopes an owner can share; {@code create} is a kind-wide scope, not an instance's. */
    static final List<Scope> INSTANCE_SCOPES = List.of(Scope.READ, Scope.UPDATE, Scope.DELETE, Scope.MANAGE);

    private InstanceResources() {
    }

    /** @param mlflowId the experiment id or registered model name */
    public static Optional<Resource> find(AuthorizationProvider authorization, ResourceServer resourceServer, ResourceKind kind,
            String mlflowId) {
        String key = InstanceNames.key(kind, mlflowId);
        ResourceStore resources = authorization.getStoreFactory().getResourceStore();
        Resource derived = resources.findById(resourceServer, derivedId(resourceServer, key));
        if (derived != null && InstanceNames.isNameOf(derived.getName(), key)) {
            return Optional.of(named(derived, kind, mlflowId));
        }
        // A model renamed away from its first name lives under another id, and so does a resource an admin
        // made by hand under an earlier release's name; either is named by its key.
        // The store matches names without regard to case, MLflow's names are case-sensitive: "Churn" is not "churn".
        List<Resource> found = resources.find(resourceServer, Map.of(Resource.FilterOption.EXACT_NAME, new String[] {key}), -1, -1)
                .stream().filter(resource -> resource.getName().equals(key)).toList();
        // Names of instances are unique: we create them, and remove the old one first.
        return found.size() == 1 ? Optional.of(named(found.get(0), kind, mlflowId)) : Optional.empty();
    }

    /**
     * Records {@code ownerId} as the owner of a newly created MLflow object. A resource left
     * under its key (an object deleted in MLflow whose id is free again) is removed first, with
     * whatever was shared of it: the new object is another one. So is a deleted experiment's
     * resource of the same name: MLflow frees the name of a deleted experiment only when it
     * removes the experiment for good ({@code mlflow gc}), which the gateway never sees.
     */
    public static Resource create(AuthorizationProvider authorization, ResourceServer resourceServer, ResourceKind kind,
            String mlflowId, String mlflowName, String ownerId) {
        String key = InstanceNames.key(kind, mlflowId);
        ResourceStore resources = authorization.getStoreFactory().getResourceStore();
        remove(authorization, resourceServer, kind, mlflowId);
        if (kind == ResourceKind.EXPERIMENT) {
            removeCollected(authorization, resourceServer, mlflowName);
        }
        String id = derivedId(resourceServer, key);
        String name = InstanceNames.resourceName(kind, mlflowId, mlflowName, false);
        Resource resource = resources.findById(resourceServer, id) == null
                ? resources.create(resourceServer, id, name, ownerId)
                : resources.create(resourceServer, name, ownerId);
        if (!ownerId.equals(resourceServer.getClientId())) {
            resource.setType(typeOf(authorization, resourceServer, kind));
        }
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

    /**
     * Takes the kind's type from the instances the resource server owns (objects older than the
     * gateway that an admin granted before any owner was set), as earlier releases gave it them.
     *
     * @return the instances changed
     */
    public static List<Resource> untypeUnowned(ResourceStore resources, ResourceServer resourceServer) {
        List<Resource> changed = new ArrayList<>();
        for (ResourceKind kind : List.of(ResourceKind.EXPERIMENT, ResourceKind.REGISTERED_MODEL)) {
            Resource typeResource = resources.findByName(resourceServer, kind.resourceName());
            if (typeResource == null || typeResource.getType() == null) {
                continue;
            }
            // A query of the database, not Keycloak's cached list of the type's resources.
            Map<Resource.FilterOption, String[]> unowned = Map.of(Resource.FilterOption.TYPE, new String[] {typeResource.getType()},
                    Resource.FilterOption.OWNER, new String[] {resourceServer.getClientId()});
            for (Resource typed : resources.find(resourceServer, unowned, -1, -1)) {
                if (typeResource.getType().equals(typed.getType()) && resourceServer.getClientId().equals(typed.getOwner())
                        && typed.getSingleAttribute(MLFLOW_NAME_ATTRIBUTE) != null && !typed.getId().equals(typeResource.getId())) {
                    Resource cached = resources.findById(resourceServer, typed.getId());
                    // Keycloak's cache drops the lists of the type a resource is given: given the old type
                    // again first, every node drops its list of that type, which still holds this one.
                    cached.setType(typeResource.getType());
                    cached.setType(null);
                    changed.add(cached);
                }
            }
        }
        return changed;
    }

    /** A registered model renamed in MLflow keeps its owner and its shares under the new name. */
    public static void renameModel(AuthorizationProvider authorization, ResourceServer resourceServer, String oldMlflowName,
            String newMlflowName) {
        find(authorization, resourceServer, ResourceKind.REGISTERED_MODEL, oldMlflowName).ifPresent(resource -> {
            remove(authorization, resourceServer, ResourceKind.REGISTERED_MODEL, newMlflowName);
            resource.setName(InstanceNames.key(ResourceKind.REGISTERED_MODEL, newMlflowName));
            resource.setDisplayName(newMlflowName);
            resource.setAttribute(MLFLOW_NAME_ATTRIBUTE, List.of(newMlflowName));
        });
    }

    /** An experiment renamed in MLflow: found, and decided by namespace policies, under its new name. */
    public static void renameExperiment(AuthorizationProvider authorization, ResourceServer resourceServer, String experimentId,
            String newMlflowName) {
        find(authorization, resourceServer, ResourceKind.EXPERIMENT, experimentId).ifPresent(resource -> {
            resource.setAttribute(MLFLOW_NAME_ATTRIBUTE, List.of(newMlflowName));
            resource.setDisplayName(newMlflowName);
            resource.setName(InstanceNames.resourceName(ResourceKind.EXPERIMENT, experimentId, newMlflowName, isDeleted(resource)));
        });
    }

    /** An experiment deleted in MLflow (restorable) or restored: marked so, with its owner and shares kept for a restore. */
    public static void markDeleted(AuthorizationProvider authorization, ResourceServer resourceServer, String experimentId,
            boolean deleted) {
        find(authorization, resourceServer, ResourceKind.EXPERIMENT, experimentId).ifPresent(resource -> {
            if (deleted) {
                resource.setAttribute(LIFECYCLE_STAGE_ATTRIBUTE, List.of(DELETED));
            } else {
                resource.removeAttribute(LIFECYCLE_STAGE_ATTRIBUTE);
            }
            resource.setName(InstanceNames.resourceName(ResourceKind.EXPERIMENT, experimentId, mlflowName(resource), deleted));
        });
    }

    /** Removes the instance, with its shares and the permissions that name it alone. */
    public static void remove(AuthorizationProvider authorization, ResourceServer resourceServer, ResourceKind kind, String mlflowId) {
        find(authorization, resourceServer, kind, mlflowId)
                .ifPresent(resource -> authorization.getStoreFactory().getResourceStore().delete(resource.getId()));
    }

    /** Deleted experiments' resources that still hold a name MLflow has given to a new experiment. */
    private static void removeCollected(AuthorizationProvider authorization, ResourceServer resourceServer, String mlflowName) {
        ResourceStore resources = authorization.getStoreFactory().getResourceStore();
        // By name, not type: an experiment's resource that no one owns has no type.
        resources.find(resourceServer, Map.of(Resource.FilterOption.NAME, new String[] {InstanceNames.deletedMarker()}), -1, -1).stream()
                .filter(InstanceResources::isDeleted)
                .filter(resource -> mlflowName.equals(mlflowName(resource)))
                .toList()
                .forEach(resource -> resources.delete(resource.getId()));
    }

    /** An experiment resource of an earlier release (named by its key alone) gets its searchable name on first touch. */
    private static Resource named(Resource resource, ResourceKind kind, String mlflowId) {
        String mlflowName = mlflowName(resource);
        if (kind == ResourceKind.EXPERIMENT && mlflowName != null && resource.getName().equals(InstanceNames.key(kind, mlflowId))) {
            resource.setName(InstanceNames.resourceName(kind, mlflowId, mlflowName, isDeleted(resource)));
        }
        return resource;
    }

    private static String mlflowName(Resource resource) {
        return resource.getSingleAttribute(MLFLOW_NAME_ATTRIBUTE);
    }

    /** Whether the instance is of an experiment deleted in MLflow (restorable until {@code mlflow gc}). */
    public static boolean isDeleted(Resource resource) {
        return DELETED.equals(resource.getSingleAttribute(LIFECYCLE_STAGE_ATTRIBUTE));
    }

    private static String typeOf(AuthorizationProvider authorization, ResourceServer resourceServer, ResourceKind kind) {
        Resource typeResource = authorization.getStoreFactory().getResourceStore().findByName(resourceServer, kind.resourceName());
        return typeResource != null && typeResource.getType() != null ? typeResource.getType() : "urn:mlflow:" + kind.resourceName();
    }

    static String derivedId(ResourceServer resourceServer, String key) {
        return UUID.nameUUIDFromBytes((resourceServer.getId() + "\n" + key).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
