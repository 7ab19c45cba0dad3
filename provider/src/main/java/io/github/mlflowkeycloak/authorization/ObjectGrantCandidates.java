package io.github.mlflowkeycloak.authorization;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
import org.keycloak.models.UserModel;
import org.keycloak.representations.idm.authorization.DecisionStrategy;
import org.keycloak.representations.idm.authorization.PolicyEnforcementMode;

/**
 * Of the objects of a kind whose permissions do not grant a scope on every object, those whose
 * answer can differ from that refusal and so must be evaluated: the ones the caller owns, whose
 * MLflow name could sit in one of the caller's namespaces, or that have permissions of their own
 * (an admin's grant, an owner's share). Keycloak evaluates every permission of the kind again for
 * each object it decides; for any other object that can only repeat the kind-wide refusal, so a
 * filtered search refuses it without an evaluation.
 *
 * <p>That holds only while each policy the kind's permissions reach answers alike for every object,
 * or is one whose dependence on the object is known here (owner, namespaces); while the resource
 * server enforces and decides affirmatively (under a unanimous or consensus strategy Keycloak
 * counts a permission's refusal on the type resource it names, not on an object that inherits it);
 * while the resource server owns no other resource of the kind's type; and for a caller who is not
 * the resource server itself (the owner of the type resource). Otherwise there are no candidates
 * to choose: every object is evaluated.
 */
public final class ObjectGrantCandidates {

    /** Built-in policy types whose outcome depends on the caller and the request, never on the object decided. */
    private static final Set<String> ALIKE_FOR_EVERY_OBJECT = Set.of("role", "group", "user", "client", "client-scope", "time", "regex");
    /** Permissions and aggregates, which decide by the policies they hold. */
    private static final Set<String> HOLDING_POLICIES = Set.of("scope", "resource", "aggregate");
    private static final Set<String> OURS = Set.of(OwnerPolicyProviderFactory.ID, NamespacePolicyProviderFactory.ID,
            UserNamespacePolicyProviderFactory.ID, GroupNamespacePolicyProviderFactory.ID);

    private final PolicyStore policies;
    private final ResourceServer resourceServer;
    private final String type;
    private final String callerId;
    private final PossibleNamespaces namespaces;

    private ObjectGrantCandidates(PolicyStore policies, ResourceServer resourceServer, String type, String callerId,
            PossibleNamespaces namespaces) {
        this.policies = policies;
        this.resourceServer = resourceServer;
        this.type = type;
        this.callerId = callerId;
        this.namespaces = namespaces;
    }

    /**
     * @param typeResource the kind's type resource, on which the scope was just found not granted
     * @param callerId     the id Keycloak evaluates the caller by
     * @param user         the calling user; null for a caller who is none
     * @return empty when every object must be evaluated
     */
    static Optional<ObjectGrantCandidates> of(AuthorizationProvider authorization, ResourceServer resourceServer, Resource typeResource,
            Scope scope, String callerId, UserModel user) {
        String type = typeResource.getType();
        if (type == null || callerId.equals(typeResource.getOwner())
                || resourceServer.getPolicyEnforcementMode() != PolicyEnforcementMode.ENFORCING
                || resourceServer.getDecisionStrategy() != DecisionStrategy.AFFIRMATIVE) {
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
        if (!answerAlikeForEveryObject(reached)) {
            return Optional.empty();
        }
        return Optional.of(new ObjectGrantCandidates(policies, resourceServer, type, callerId,
                user == null ? null : PossibleNamespaces.of(user)));
    }

    /** Whether Keycloak's answer on an object may differ from the kind-wide refusal. */
    boolean needEvaluation(Resource object) {
        if (!type.equals(object.getType()) || object.getOwner().equals(callerId)) {
            return true;
        }
        List<String> names = object.getAttributes().get(InstanceResources.MLFLOW_NAME_ATTRIBUTE);
        if (namespaces != null && names != null && !names.isEmpty() && namespaces.mayContain(names.get(0))) {
            return true;
        }
        return !policies.findByResource(resourceServer, object).isEmpty();
    }

    /** @param reached permissions; consumed */
    static boolean answerAlikeForEveryObject(Deque<Policy> reached) {
        Set<String> seen = new HashSet<>();
        while (!reached.isEmpty()) {
            Policy policy = reached.pop();
            if (!seen.add(policy.getId())) {
                continue;
            }
            String type = policy.getType();
            if (HOLDING_POLICIES.contains(type)) {
                reached.addAll(policy.getAssociatedPolicies());
            } else if (!ALIKE_FOR_EVERY_OBJECT.contains(type) && !OURS.contains(type)) {
                return false;
            }
        }
        return true;
    }
}
