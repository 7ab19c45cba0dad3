package io.github.mlflowkeycloak.authorization;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.mlflowkeycloak.policy.NamespaceClaims;
import io.github.mlflowkeycloak.policy.OwnerPolicyProviderFactory;
import io.github.mlflowkeycloak.policy.PossibleNamespaces;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.model.Policy;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.authorization.model.Scope;
import org.keycloak.authorization.store.PolicyStore;
import org.keycloak.models.UserModel;
import org.keycloak.representations.idm.authorization.DecisionStrategy;
import org.keycloak.representations.idm.authorization.Logic;
import org.keycloak.representations.idm.authorization.PolicyEnforcementMode;

/**
 * What is known, before Keycloak evaluates anything, of a scope on the objects of a kind whose
 * permissions were just found not to grant it on every object. Keycloak evaluates every permission
 * of the kind again for each object it decides; for most objects that can only repeat the
 * kind-wide refusal, so a filtered search refuses them without an evaluation. Evaluated are only
 * the objects whose answer can differ: the ones the caller owns, whose MLflow name could sit in
 * one of the caller's namespaces, or that have permissions of their own (an admin's grant, an
 * owner's share). And when one of the kind's permissions grants the scope to every owner (the
 * shipped "experiment: owners"), an object the caller owns that has no permissions of its own is
 * granted without one: under an affirmative resource server one granting permission suffices.
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
    private static final Set<String> OURS = Stream.concat(Stream.of(OwnerPolicyProviderFactory.ID), NamespaceClaims.NAMESPACE_TYPES.stream())
            .collect(Collectors.toUnmodifiableSet());

    private final PolicyStore policies;
    private final ResourceServer resourceServer;
    private final String type;
    private final String callerId;
    private final PossibleNamespaces namespaces;
    private final boolean grantsEveryOwner;

    /** What is known of the answer on one object before Keycloak evaluates anything. */
    enum Known {
        GRANTED, REFUSED, NOT_YET
    }

    ObjectGrantCandidates(PolicyStore policies, ResourceServer resourceServer, String type, String callerId,
            PossibleNamespaces namespaces, boolean grantsEveryOwner) {
        this.policies = policies;
        this.resourceServer = resourceServer;
        this.type = type;
        this.callerId = callerId;
        this.namespaces = namespaces;
        this.grantsEveryOwner = grantsEveryOwner;
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
        // Permissions of the type resource and of the type apply to every object of the type.
        List<Policy> ofEveryObject = new ArrayList<>();
        policies.findByResource(resourceServer, typeResource, ofEveryObject::add);
        policies.findByResourceType(resourceServer, type, ofEveryObject::add);
        Deque<Policy> reached = new ArrayDeque<>(ofEveryObject);
        policies.findByScopes(resourceServer, null, List.of(scope), reached::add);
        if (!answerAlikeForEveryObject(reached)) {
            return Optional.empty();
        }
        return Optional.of(new ObjectGrantCandidates(policies, resourceServer, type, callerId,
                user == null ? null : PossibleNamespaces.of(user), grantsEveryOwner(ofEveryObject, scope)));
    }

    /** What Keycloak's answer on an object is known to be: the kind-wide refusal, the owner's grant, or not yet known. */
    Known answerOn(Resource object) {
        if (!type.equals(object.getType())) {
            return Known.NOT_YET;
        }
        // Its own permissions are evaluated, as Keycloak would, even where they could add nothing to the owner's grant.
        boolean ownPermissions = !policies.findByResource(resourceServer, object).isEmpty();
        if (object.getOwner().equals(callerId)) {
            return grantsEveryOwner && !ownPermissions ? Known.GRANTED : Known.NOT_YET;
        }
        List<String> names = object.getAttributes().get(InstanceResources.MLFLOW_NAME_ATTRIBUTE);
        if (ownPermissions || namespaces != null && names != null && !names.isEmpty() && namespaces.mayContain(names.get(0))) {
            return Known.NOT_YET;
        }
        return Known.REFUSED;
    }

    /**
     * Whether one of the permissions grants the scope to the owner of whatever object it decides,
     * whatever else it holds: a positive resource permission, or a positive scope permission
     * that names the scope, holding a positive owner policy, alone or under an affirmative
     * strategy. (Keycloak grants a resource permission every scope asked, a scope permission its
     * own scopes, each by its strategy over the policies it holds, whose logic it applies. It
     * ignores a permission's own logic; a negative permission is evaluated all the same, by caution.)
     *
     * @param permissions the permissions that apply to every object of the kind
     */
    static boolean grantsEveryOwner(Collection<Policy> permissions, Scope scope) {
        for (Policy permission : permissions) {
            boolean covers = "resource".equals(permission.getType())
                    || "scope".equals(permission.getType()) && permission.getScopes().contains(scope);
            if (!covers || !Logic.POSITIVE.equals(permission.getLogic())) {
                continue;
            }
            Set<Policy> held = permission.getAssociatedPolicies();
            boolean holdsOwner = held.stream().anyMatch(policy -> OwnerPolicyProviderFactory.ID.equals(policy.getType())
                    && Logic.POSITIVE.equals(policy.getLogic()));
            if (holdsOwner && (held.size() == 1 || permission.getDecisionStrategy() == DecisionStrategy.AFFIRMATIVE)) {
                return true;
            }
        }
        return false;
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
