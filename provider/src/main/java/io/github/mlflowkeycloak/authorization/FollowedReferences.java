package io.github.mlflowkeycloak.authorization;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.mlflowkeycloak.lookup.MlflowUnavailableException;
import io.github.mlflowkeycloak.lookup.ParentExperiments;
import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.Reference;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.Route;
import io.github.mlflowkeycloak.route.Scope;

/**
 * Decides what a request reaches beyond the objects it acts on: the objects its route's
 * references ({@link Reference}) name. Each needs its own scope, as the route table says; an id
 * that leads nowhere is refused like one the caller may not reach.
 */
public final class FollowedReferences {

    /**
     * Trace tags MLflow's server writes itself and later trusts to find where a trace's data
     * lives; set by a client, they point MLflow at another trace's data or the server's disk.
     */
    static final Set<String> SERVER_MANAGED_TAGS = Set.of("mlflow.artifactLocation", "mlflow.trace.spansLocation",
            "mlflow.trace.archiveLocation", "mlflow.trace.archivalFailure");

    private static final Access.Scoped SERVER_MANAGE = new Access.Scoped(ResourceKind.SERVER, Scope.MANAGE);
    private static final Access.Scoped EXPERIMENT_UPDATE = new Access.Scoped(ResourceKind.EXPERIMENT, Scope.UPDATE);

    private final ObjectPermissions objects;
    private final ParentExperiments parents;

    public FollowedReferences(ObjectPermissions objects, ParentExperiments parents) {
        this.objects = objects;
        this.parents = parents;
    }

    /** @return a tag key the request sets that only MLflow's server may set; refused to everyone */
    public static Optional<String> serverManagedTag(Route route, Map<String, List<String>> values) {
        for (Reference reference : route.references()) {
            if (reference.follows() == Reference.Follows.TAG_KEY) {
                for (String key : values.getOrDefault(reference.field().name(), List.of())) {
                    if (SERVER_MANAGED_TAGS.contains(key)) {
                        return Optional.of(key);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @param values the values of the route's reference fields, by field name
     * @param ids    the ids of the objects the request acts on, by field name
     * @param kindWide whether only kind-wide grants count (in an MLflow workspace, where ids are
     *               not resolved)
     * @return the scope the caller lacks on an object a reference names; empty when none
     */
    public Optional<Access.Scoped> missing(CallerPermissions permissions, Route route, Map<String, List<String>> values,
            Map<String, List<String>> ids, boolean kindWide) throws MlflowUnavailableException {
        for (Reference reference : route.references()) {
            Set<String> named = new LinkedHashSet<>(values.getOrDefault(reference.field().name(), List.of()));
            named.remove("");
            if (named.isEmpty()) {
                continue;
            }
            Optional<Access.Scoped> missing = kindWide ? missingKindWide(permissions, reference, named)
                    : switch (reference.follows()) {
                        case OBJECT -> missingOnObjects(permissions, reference, named);
                        case URI -> missingOnUris(permissions, reference.scope(), named);
                        case EXISTING -> movedFromElsewhere(reference, named, ids) ? Optional.of(EXPERIMENT_UPDATE) : Optional.empty();
                        case TAG_KEY -> Optional.empty();
                    };
            if (missing.isPresent()) {
                return missing;
            }
        }
        return Optional.empty();
    }

    private static Optional<Access.Scoped> missingKindWide(CallerPermissions permissions, Reference reference, Set<String> named) {
        List<Access.Scoped> needed = new ArrayList<>();
        switch (reference.follows()) {
            case OBJECT -> needed.add(new Access.Scoped(reference.kind(), reference.scope()));
            case URI -> named.stream().filter(uri -> !FollowedUri.isPlaceholder(uri)).forEach(uri -> needed.add(FollowedUri.of(uri)
                    .map(target -> new Access.Scoped(target.kind(), reference.scope())).orElse(SERVER_MANAGE)));
            case EXISTING -> needed.add(EXPERIMENT_UPDATE);
            case TAG_KEY -> {
            }
        }
        return needed.stream().filter(scoped -> !permissions.hasOnEvery(scoped.kind(), scoped.scope())).findFirst();
    }

    private Optional<Access.Scoped> missingOnObjects(CallerPermissions permissions, Reference reference, Set<String> named)
            throws MlflowUnavailableException {
        Access.Scoped needed = new Access.Scoped(reference.kind(), reference.scope());
        if (permissions.hasOnEvery(reference.kind(), reference.scope())) {
            return Optional.empty();
        }
        ObjectReference leadsTo = leadsTo(reference);
        if (leadsTo == null) {
            // The gateway and the server have no instances: only a kind-wide grant allows.
            return Optional.of(needed);
        }
        for (String value : named) {
            if (!objects.grantedOn(permissions, reference.kind(), reference.scope(), leadsTo, value)) {
                return Optional.of(needed);
            }
        }
        return Optional.empty();
    }

    private Optional<Access.Scoped> missingOnUris(CallerPermissions permissions, Scope scope, Set<String> uris)
            throws MlflowUnavailableException {
        for (String uri : uris) {
            if (FollowedUri.isPlaceholder(uri)) {
                continue;
            }
            Optional<FollowedUri> followed = FollowedUri.of(uri);
            if (followed.isEmpty()) {
                if (!permissions.hasOnEvery(ResourceKind.SERVER, Scope.MANAGE)) {
                    return Optional.of(SERVER_MANAGE);
                }
                continue;
            }
            FollowedUri target = followed.get();
            if (!permissions.hasOnEvery(target.kind(), scope)
                    && !objects.grantedOn(permissions, target.kind(), scope, target.reference(), target.value())) {
                return Optional.of(new Access.Scoped(target.kind(), scope));
            }
        }
        return Optional.empty();
    }

    /**
     * A create naming the id of an object that exists in another experiment than the one the
     * request names: MLflow would move it there (or add to it), whatever the caller may do with
     * the experiment it is in. Refused to everyone, so that an object's experiment never changes.
     */
    private boolean movedFromElsewhere(Reference reference, Set<String> named, Map<String, List<String>> ids)
            throws MlflowUnavailableException {
        ParentExperiments.Child child = ObjectPermissions.childOf(leadsTo(reference));
        if (child == null) {
            return true;
        }
        Set<String> requested = new HashSet<>();
        ids.forEach((field, values) -> {
            ObjectReference.Use use = ObjectReference.of(ResourceKind.EXPERIMENT, field);
            if (use != null && use.reference() == ObjectReference.EXPERIMENT_ID) {
                requested.addAll(values);
            }
        });
        for (String id : named) {
            Optional<String> experiment = parents.ofNow(child, id);
            if (experiment.isPresent() && !requested.contains(experiment.get())) {
                return true;
            }
        }
        return false;
    }

    /** How a reference field's value leads to its object: by the field's own name (its last segment). */
    static ObjectReference leadsTo(Reference reference) {
        if (reference.kind() == ResourceKind.REGISTERED_MODEL) {
            return ObjectReference.REGISTERED_MODEL_NAME;
        }
        if (reference.kind() != null && reference.kind() != ResourceKind.EXPERIMENT) {
            return null;
        }
        String name = reference.field().name();
        String last = name.substring(name.lastIndexOf('.') + 1);
        ObjectReference.Use use = ObjectReference.of(ResourceKind.EXPERIMENT, last);
        return use == null || use.reference() == ObjectReference.WITHIN ? null : use.reference();
    }
}
