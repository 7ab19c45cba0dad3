package io.github.mlflowkeycloak.check;

import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

import io.github.mlflowkeycloak.authorization.CallerPermissions;
import io.github.mlflowkeycloak.route.Requirement;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.Scope;

/**
 * What allowed a request, as far as the decision knows: the scope on every object of its kind (a
 * role or group), or on each object the request names (an owner, namespace or share). The words
 * are made once per kind and scope, since every allowed request needs one.
 */
final class GrantReasons {

    static final String SIGNED_IN = "signed in: the route needs no scope";

    private static final Map<ResourceKind, Map<Scope, String>> KIND_WIDE = words("kind-wide grant: %s on every %s");
    private static final Map<ResourceKind, Map<Scope, String>> PER_OBJECT = words("per-object grant: %s on each %s it names");

    private GrantReasons() {
    }

    /** @param permissions the caller's, which have already decided every requirement kind-wide or not */
    static String of(Iterable<Requirement> required, CallerPermissions permissions) {
        String first = null;
        StringJoiner all = null;
        for (Requirement requirement : required) {
            ResourceKind kind = requirement.access().kind();
            Scope scope = requirement.access().scope();
            String reason = (permissions.hasOnEvery(kind, scope) ? KIND_WIDE : PER_OBJECT).get(kind).get(scope);
            if (first == null) {
                first = reason;
            } else {
                // A GraphQL query may need several; rare enough to join them here.
                if (all == null) {
                    all = new StringJoiner("; ").add(first);
                }
                all.add(reason);
            }
        }
        return first == null ? SIGNED_IN : all == null ? first : all.toString();
    }

    private static Map<ResourceKind, Map<Scope, String>> words(String format) {
        Map<ResourceKind, Map<Scope, String>> words = new EnumMap<>(ResourceKind.class);
        for (ResourceKind kind : ResourceKind.values()) {
            Map<Scope, String> byScope = new EnumMap<>(Scope.class);
            for (Scope scope : Scope.values()) {
                byScope.put(scope, String.format(format, scope.scopeName(), kind.resourceName()));
            }
            words.put(kind, byScope);
        }
        return words;
    }
}
