package io.github.mlflowkeycloak.authorization;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.mlflowkeycloak.lookup.MlflowUnavailableException;
import io.github.mlflowkeycloak.lookup.ParentExperiments;
import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.Scope;

/**
 * Decides a route's scope on the objects the request names: kind-wide when the caller's roles
 * or groups grant it (nothing to look up), else on each named experiment or registered model,
 * after resolving runs, traces, logged models and artifact paths to their experiment. A request
 * that names an object the caller may not reach, an object that does not exist, or nothing that
 * can be resolved, is denied the same way: no existence oracle.
 */
public final class ObjectPermissions {

    private final ParentExperiments parents;

    public ObjectPermissions(ParentExperiments parents) {
        this.parents = parents;
    }

    /** @return the scope the caller lacks, on which kind; empty when every one needed is granted */
    public Optional<Access.Scoped> missing(CallerPermissions permissions, Access.Scoped access, Map<String, List<String>> ids)
            throws MlflowUnavailableException {
        ResourceKind kind = access.kind();
        Scope scope = access.scope();
        if (scope == Scope.CREATE || (kind != ResourceKind.EXPERIMENT && kind != ResourceKind.REGISTERED_MODEL)) {
            // Creation, the gateway and the server have no instances: kind-wide only.
            return permissions.hasOnEvery(kind, scope) ? Optional.empty() : Optional.of(access);
        }
        List<Named> primary = new ArrayList<>();
        List<Named> secondary = new ArrayList<>();
        boolean unresolvable = false;
        for (Map.Entry<String, List<String>> field : ids.entrySet()) {
            ObjectReference.Use use = ObjectReference.of(kind, field.getKey());
            if (use == null) {
                unresolvable = true;
            } else if (use.reference() != ObjectReference.WITHIN) {
                (use.readOnly() ? secondary : primary).add(new Named(use, field.getValue()));
            }
        }
        if (primary.isEmpty() && ids.size() == 1 && ids.containsKey("path") && kind == ResourceKind.EXPERIMENT) {
            // Listing mlflow-artifacts by ?path=: the path is the artifact path.
            primary.add(new Named(new ObjectReference.Use(ObjectReference.ARTIFACT_PATH, kind, false), ids.get("path")));
        }
        if (!permissions.hasOnEvery(kind, scope)
                && (unresolvable || primary.isEmpty() || !grantedOnAll(permissions, scope, primary))) {
            return Optional.of(access);
        }
        for (Named named : secondary) {
            if (named.values().stream().allMatch(String::isEmpty)) {
                // An empty secondary reference (run_id "" of a model version from elsewhere) names nothing to read.
                continue;
            }
            if (!permissions.hasOnEvery(named.use().kind(), Scope.READ) && !grantedOnAll(permissions, Scope.READ, List.of(named))) {
                return Optional.of(new Access.Scoped(named.use().kind(), Scope.READ));
            }
        }
        return Optional.empty();
    }

    private record Named(ObjectReference.Use use, List<String> values) {
    }

    private boolean grantedOnAll(CallerPermissions permissions, Scope scope, List<Named> references)
            throws MlflowUnavailableException {
        boolean any = false;
        for (Named named : references) {
            for (String value : named.values()) {
                if (value.isEmpty()) {
                    // MLflow ignores an empty run_id when run_uuid is set; an empty id names nothing.
                    continue;
                }
                List<String> objects = resolve(named.use().reference(), value);
                if (objects.isEmpty()) {
                    return false;
                }
                for (String object : objects) {
                    if (!permissions.hasOn(named.use().kind(), scope, object)) {
                        return false;
                    }
                }
                any = true;
            }
        }
        return any;
    }

    /**
     * @return the experiment ids or registered model name the value leads to, all of which must
     *         allow; empty when it leads to none (no such object)
     */
    private List<String> resolve(ObjectReference reference, String value) throws MlflowUnavailableException {
        return switch (reference) {
            case EXPERIMENT_ID, REGISTERED_MODEL_NAME -> List.of(value);
            case EXPERIMENT_NAME -> parents.byName(value).stream().toList();
            case RUN_ID -> parents.of(ParentExperiments.Child.RUN, value).stream().toList();
            case TRACE_ID -> parents.of(ParentExperiments.Child.TRACE, value).stream().toList();
            case LOGGED_MODEL_ID -> parents.of(ParentExperiments.Child.LOGGED_MODEL, value).stream().toList();
            case ISSUE_ID -> parents.of(ParentExperiments.Child.ISSUE, value).stream().toList();
            case LABEL_SCHEMA_ID -> parents.of(ParentExperiments.Child.LABEL_SCHEMA, value).stream().toList();
            case REVIEW_QUEUE_ID -> parents.of(ParentExperiments.Child.REVIEW_QUEUE, value).stream().toList();
            case DATASET_ID -> parents.ofDataset(value);
            case ARTIFACT_PATH -> experimentOfArtifactPath(value).stream().toList();
            case WITHIN -> List.of();
        };
    }

    /** MLflow keeps an experiment's artifacts under {@code <experiment id>/…} of the artifact root. */
    static Optional<String> experimentOfArtifactPath(String path) {
        int slash = path.indexOf('/');
        String first = slash < 0 ? path : path.substring(0, slash);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < first.length(); i++) {
            if (first.charAt(i) < '0' || first.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        return Optional.of(first);
    }
}
