package io.github.mlflowkeycloak.authorization;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import io.github.mlflowkeycloak.policy.GroupNamespacePolicyProviderFactory;
import io.github.mlflowkeycloak.policy.NamespacePolicyProviderFactory;
import io.github.mlflowkeycloak.policy.OwnerPolicyProviderFactory;
import io.github.mlflowkeycloak.policy.PossibleNamespaces;
import io.github.mlflowkeycloak.policy.UserNamespacePolicyProviderFactory;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.model.Policy;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.authorization.model.Scope;
import org.keycloak.authorization.store.PolicyStore;
import org.keycloak.representations.idm.authorization.PolicyEnforcementMode;

/**
 * Of the objects of a kind whose permissions do not grant a scope on every object, those a caller
 * could still be granted it on: the ones the caller owns, whose MLflow name could sit in one of the
 * caller's namespaces, or that have permissions of their own (an admin's grant, an owner's share).
 * Keycloak evaluates every permission of the kind again for each object it decides; for any other
 * object that evaluation can only repeat the kind-wide refusal, so a filtered search skips it.
 *
 * <p>That holds only while each policy the kind's permissions reach answers alike for every object,
 * or is one whose dependence on the object is known here (owner, namespaces). With any other policy
 * type (JavaScript, another extension's), with more than one resource of the kind's type owned by
 * the resource server, or with a resource server not enforcing, there are no candidates to choose:
 * every object is evaluated.
 */
public final class ObjectGrantCandidates {

    /** Built-in policy types whose outcome depends on the caller and the request, never on the object decided. */
    private static final Set<String> SAME_FOR_EVERY_OBJECT = Set.of("role", "group", "user", "client", "client-scope", "time", "regex");
    /** Permissions and aggregates: they answer as the policies they hold. */
    private static final Set<String> HOLDING_POLICIES = Set.of("scope", "resource", "aggregate", "uma");
    private static final Set<String> OURS = Set.of(OwnerPolicyProviderFactory.ID, NamespacePolicyProviderFactory.ID,
            UserNamespacePolicyProviderFactory.ID, GroupNamespacePolicyProviderFactory.ID);

    private final PolicyStore policies;
    private final ResourceServer resourceServer;
    private final String type;
    private final String callerId;
    private final Supplier<Optional<PossibleNamespaces>> namespaces;

    private ObjectGrantCandidates(PolicyStore policies, ResourceServer resourceServer, String type, String callerId,
            Supplier<Optional<PossibleNamespaces>> namespaces) {
        this.policies = policies;
        this.resourceServer = resourceServer;
        this.type = type;
        this.callerId = callerId;
        this.namespaces = namespaces;
    }

    /**
     * @param typeResource the kind's type resource, on which the scope was just found not granted
     * @param namespaces   the caller's possible namespaces; empty when the caller is no user
     * @return empty when every object must be evaluated
     */
    static Optional<ObjectGrantCandidates> of(AuthorizationProvider authorization, ResourceServer resourceServer, Resource typeResource,
            Scope scope, String callerId, Supplier<Optional<PossibleNamespaces>> namespaces) {
        String type = typeResource.getType();
        if (type == null || resourceServer.getPolicyEnforcementMode() != PolicyEnforcementMode.ENFORCING) {
            return Optional.empty();
        }
        // Keycloak applies to an object the permissions of every resource of its type the resource server owns.
        List<Resource> typed = authorization.getStoreFactory().getResourceStore().findByType(resourceServer, type);
        if (typed.size() != 1 || !typed.get(0).getId().equals(typeResource.getId())) {
            return Optional.empty();
        }
        PolicyStore policies = authorization.getStoreFactory().getPolicyStore();
        Deque<Policy> reached = new ArrayDeque<>();
        policies.findByResource(resourceServer, typeResource, reached::add);
        policies.findByResourceType(resourceServer, type, reached::add);
        policies.findByScopes(resourceServer, null, List.of(scope), reached::add);
        if (!sameForEveryOtherObject(reached)) {
            return Optional.empty();
        }
        return Optional.of(new ObjectGrantCandidates(policies, resourceServer, type, callerId, namespaces));
    }

    /** Whether Keycloak's answer on an object may differ from the kind-wide one: then it must be evaluated. */
    boolean mayGrant(Resource object) {
        if (!type.equals(object.getType()) || object.getOwner().equals(callerId)) {
            return true;
        }
        List<String> names = object.getAttributes().get(InstanceResources.MLFLOW_NAME_ATTRIBUTE);
        if (names != null && !names.isEmpty() && namespaces.get().map(possible -> possible.mayContain(names.get(0))).orElse(false)) {
            return true;
        }
        return !policies.findByResource(resourceServer, object).isEmpty();
    }

    static boolean sameForEveryOtherObject(Deque<Policy> reached) {
        Set<String> seen = new HashSet<>();
        while (!reached.isEmpty()) {
            Policy policy = reached.pop();
            if (!seen.add(policy.getId())) {
                continue;
            }
            String type = policy.getType();
            if (HOLDING_POLICIES.contains(type)) {
                reached.addAll(policy.getAssociatedPolicies());
            } else if (!SAME_FOR_EVERY_OBJECT.contains(type) && !OURS.contains(type)) {
                return false;
            }
        }
        return true;
    }
}
