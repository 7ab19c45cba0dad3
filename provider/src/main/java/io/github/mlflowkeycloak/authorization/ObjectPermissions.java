package io.github.mlflowkeycloak.authorization;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

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
        if (permissions.hasOnEvery(kind, scope)) {
            return Optional.empty();
        }
        List<Named> named = new ArrayList<>();
        for (Map.Entry<String, List<String>> field : ids.entrySet()) {
            ObjectReference.Use use = ObjectReference.of(kind, field.getKey());
            if (use == null) {
                // A field no lookup resolves: only a kind-wide grant allows the route.
                return Optional.of(access);
            }
            if (use.reference() != ObjectReference.WITHIN) {
                named.add(new Named(use, field.getValue()));
            }
        }
        if (named.isEmpty() && ids.size() == 1 && ids.containsKey("path") && kind == ResourceKind.EXPERIMENT) {
            // Listing mlflow-artifacts by ?path=: the path is the artifact path.
            named.add(new Named(new ObjectReference.Use(ObjectReference.ARTIFACT_PATH, kind), ids.get("path")));
        }
        return named.isEmpty() || !grantedOnAll(permissions, scope, named) ? Optional.of(access) : Optional.empty();
    }

    private record Named(ObjectReference.Use use, List<String> values) {
    }

    /** An experiment (by id) or registered model (by name). */
    public record NamedObject(ResourceKind kind, String mlflowId) {
    }

    /**
     * The first object the request's ids lead to on which the caller lacks the scope, for a
     * refusal to say whom to ask; empty when there is none to name (a kind-wide refusal).
     */
    public Optional<NamedObject> lacking(CallerPermissions permissions, Access.Scoped access, Map<String, List<String>> ids)
            throws MlflowUnavailableException {
        for (Map.Entry<String, List<String>> field : ids.entrySet()) {
            ObjectReference.Use use = ObjectReference.of(access.kind(), field.getKey());
            if (use == null || use.reference() == ObjectReference.WITHIN) {
                continue;
            }
            for (String value : field.getValue()) {
                for (String object : value.isEmpty() ? List.<String>of() : resolve(use.reference(), value)) {
                    if (!permissions.hasOn(use.kind(), access.scope(), object)) {
                        return Optional.of(new NamedObject(use.kind(), object));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Whether every value names an object, and the scope is granted on all of them. */
    private boolean grantedOnAll(CallerPermissions permissions, Scope scope, List<Named> references)
            throws MlflowUnavailableException {
        boolean any = false;
        for (Named named : references) {
            // Already distinct: the request's ids are made so once, when it is read.
            for (String value : named.values()) {
                if (value.isEmpty()) {
                    // MLflow ignores an empty run_id when run_uuid is set; an empty id names nothing.
                    continue;
                }
                if (!grantedOn(permissions, named.use().kind(), scope, named.use().reference(), value)) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /** Whether the scope is granted on every object the value leads to (none: not granted). */
    boolean grantedOn(CallerPermissions permissions, ResourceKind kind, Scope scope, ObjectReference reference, String value)
            throws MlflowUnavailableException {
        List<String> objects = resolve(reference, value);
        if (objects.isEmpty()) {
            return false;
        }
        for (String object : objects) {
            if (!permissions.hasOn(kind, scope, object)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the experiment ids or registered model name the value leads to, all of which must
     *         allow; empty when it leads to none (no such object)
     */
    private List<String> resolve(ObjectReference reference, String value) throws MlflowUnavailableException {
        ParentExperiments.Child child = childOf(reference);
        if (child != null) {
            return parents.of(child, value).stream().toList();
        }
        return switch (reference) {
            case EXPERIMENT_ID, REGISTERED_MODEL_NAME -> List.of(value);
            case EXPERIMENT_NAME -> parents.byName(value).stream().toList();
            case DATASET_ID -> parents.ofDataset(value);
            case ARTIFACT_PATH -> experimentOfArtifactPath(value).stream().toList();
            case TRACE_CONTEXT -> {
                Optional<String> trace = traceOfTraceContext(value);
                yield trace.isEmpty() ? List.of() : parents.of(ParentExperiments.Child.TRACE, trace.get()).stream().toList();
            }
            default -> List.of();
        };
    }

    /** @return the kind of object MLflow is asked about for the reference's experiment; null for others */
    static ParentExperiments.Child childOf(ObjectReference reference) {
        return switch (reference) {
            case RUN_ID -> ParentExperiments.Child.RUN;
            case TRACE_ID -> ParentExperiments.Child.TRACE;
            case LOGGED_MODEL_ID -> ParentExperiments.Child.LOGGED_MODEL;
            case ISSUE_ID -> ParentExperiments.Child.ISSUE;
            case LABEL_SCHEMA_ID -> ParentExperiments.Child.LABEL_SCHEMA;
            case REVIEW_QUEUE_ID -> ParentExperiments.Child.REVIEW_QUEUE;
            default -> null;
        };
    }

    /** {@code 00-<trace id>-<span id>-<flags>}: MLflow's id of the trace is {@code tr-<trace id>}. */
    static Optional<String> traceOfTraceContext(String traceparent) {
        Matcher matcher = TRACEPARENT.matcher(traceparent);
        return matcher.matches() ? Optional.of("tr-" + matcher.group(1)) : Optional.empty();
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
