package io.github.mlflowkeycloak.admin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.github.mlflowkeycloak.policy.GroupNamespacePolicyProviderFactory;
import io.github.mlflowkeycloak.policy.NamespacePolicyProviderFactory;
import io.github.mlflowkeycloak.policy.OwnerPolicyProviderFactory;
import io.github.mlflowkeycloak.policy.UserNamespacePolicyProviderFactory;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.Decision;
import org.keycloak.authorization.common.DefaultEvaluationContext;
import org.keycloak.authorization.identity.UserModelIdentity;
import org.keycloak.authorization.model.Policy;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.authorization.model.Scope;
import org.keycloak.authorization.permission.ResourcePermission;
import org.keycloak.authorization.policy.evaluation.DecisionPermissionCollector;
import org.keycloak.authorization.policy.evaluation.Result;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.idm.authorization.AuthorizationRequest;
import org.keycloak.representations.idm.authorization.Logic;

/**
 * Why a user holds each scope of an object, or who can reach it at all. A user's scopes are
 * decided by Keycloak's policy evaluation on the object's resource, as {@code /check} decides
 * them (an object without a resource: on its kind's resource); the reasons are the permissions
 * that evaluation granted, with the policies in them that said yes.
 */
final class Explanation {

    private static final List<String> INSTANCE_SCOPES = List.of("read", "update", "delete", "manage");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AuthorizationProvider authorization;
    private final ResourceServer resourceServer;
    private final Grants grants;

    Explanation(KeycloakSession session, AuthorizationProvider authorization, ResourceServer resourceServer, Grants grants) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.authorization = authorization;
        this.resourceServer = resourceServer;
        this.grants = grants;
    }

    /**
     * Per scope: granted or not, and the permissions that granted it. Decided as {@code /check}
     * decides, one scope at a time: on the kind's resource (roles and groups for every object of
     * the kind), then on the object's own resource, if it has one.
     */
    List<Map<String, Object>> forUser(MlflowObject object, Optional<Resource> instance, UserModel user) {
        Resource type = typeResource(object);
        DefaultEvaluationContext context = new DefaultEvaluationContext(new UserModelIdentity(realm, user), session);
        List<Map<String, Object>> scopes = new ArrayList<>();
        for (String name : INSTANCE_SCOPES) {
            Scope scope = authorization.getStoreFactory().getScopeStore().findByName(resourceServer, name);
            if (scope == null) {
                continue;
            }
            List<Map<String, Object>> reasons = new ArrayList<>();
            boolean granted = false;
            for (Resource decided : type == null ? instance.stream().toList()
                    : instance.map(resource -> List.of(type, resource)).orElse(List.of(type))) {
                Collector collector = new Collector(authorization, resourceServer);
                authorization.evaluators().from(List.of(new ResourcePermission(decided, List.of(scope), resourceServer)), resourceServer,
                        context).evaluate(collector);
                if (collector.results().stream().anyMatch(permission -> permission.getScopes() != null
                        && permission.getScopes().contains(name))) {
                    granted = true;
                    for (Result.PolicyResult permission : collector.granting()) {
                        if (covers(permission.getPolicy(), scope)) {
                            reasons.add(reason(object, decided, permission.getPolicy(), permittingPolicies(permission)));
                        }
                    }
                    break;
                }
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("scope", name);
            json.put("granted", granted);
            json.put("reasons", reasons);
            scopes.add(json);
        }
        return scopes;
    }

    /** Every permission that applies to the object, with whom its policies name. */
    List<Map<String, Object>> forObject(MlflowObject object, Optional<Resource> instance) {
        Map<String, Policy> permissions = new LinkedHashMap<>();
        Resource type = typeResource(object);
        if (type != null) {
            authorization.getStoreFactory().getPolicyStore().findByResource(resourceServer, type)
                    .forEach(permission -> permissions.put(permission.getId(), permission));
            if (type.getType() != null) {
                authorization.getStoreFactory().getPolicyStore().findByResourceType(resourceServer, type.getType())
                        .forEach(permission -> permissions.put(permission.getId(), permission));
            }
        }
        instance.ifPresent(resource -> authorization.getStoreFactory().getPolicyStore().findByResource(resourceServer, resource)
                .forEach(permission -> permissions.put(permission.getId(), permission)));
        Resource decided = instance.orElse(type);
        List<Map<String, Object>> reach = new ArrayList<>();
        for (Policy permission : permissions.values()) {
            Set<String> scopes = new LinkedHashSet<>();
            for (String name : INSTANCE_SCOPES) {
                if (permission.getScopes().isEmpty() || permission.getScopes().stream().anyMatch(scope -> scope.getName().equals(name))) {
                    scopes.add(name);
                }
            }
            if (scopes.isEmpty()) {
                continue;
            }
            Map<String, Object> json = reason(object, decided, permission, permission.getAssociatedPolicies());
            json.put("scopes", List.copyOf(scopes));
            json.put("decisionStrategy", permission.getDecisionStrategy().name());
            reach.add(json);
        }
        return reach;
    }

    /** {@code {"via": …, "permission": …, "appliesTo": …, "policies": [{"name", "type", "principals"}]}} */
    private Map<String, Object> reason(MlflowObject object, Resource decided, Policy permission, Collection<Policy> policies) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("via", via(permission, policies));
        json.put("permission", permission.getName());
        boolean thisOne = permission.getResources().stream().anyMatch(resource -> resource.getId().equals(decided.getId()))
                && !decided.getName().equals(object.kind().resourceName());
        json.put("appliesTo", (thisOne ? "this " : "every ") + object.kind().resourceName());
        if ("uma".equals(permission.getType())) {
            json.put("sharedBy", Shares.username(session, realm, decided.getOwner()));
        }
        List<Map<String, Object>> described = new ArrayList<>();
        for (Policy policy : policies) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", policy.getName());
            one.put("type", policy.getType());
            if (policy.getLogic() == Logic.NEGATIVE) {
                one.put("logic", "negative");
            }
            List<Map<String, Object>> principals = new ArrayList<>();
            grants.principalsOf(policy).forEach(principal -> principals.add(principal.json()));
            if (OwnerPolicyProviderFactory.ID.equals(policy.getType())) {
                String owner = Shares.username(session, realm, decided.getOwner());
                if (owner != null) {
                    principals.add(Map.of("type", "owner", "name", owner));
                }
            }
            one.put("principals", principals);
            described.add(one);
        }
        json.put("policies", described);
        return json;
    }

    /** grant, share, owner, namespace, role, group or user: what the console would call the reason. */
    private static String via(Policy permission, Collection<Policy> policies) {
        if ("uma".equals(permission.getType())) {
            return "share";
        }
        if (Grants.DESCRIPTION.equals(permission.getDescription())) {
            return "grant";
        }
        Set<String> kinds = new TreeSet<>();
        for (Policy policy : policies) {
            kinds.add(switch (policy.getType()) {
                case OwnerPolicyProviderFactory.ID -> "owner";
                case NamespacePolicyProviderFactory.ID, UserNamespacePolicyProviderFactory.ID, GroupNamespacePolicyProviderFactory.ID ->
                        "namespace";
                default -> policy.getType();
            });
        }
        return String.join(", ", kinds);
    }

    private static boolean covers(Policy permission, Scope scope) {
        return "resource".equals(permission.getType()) || permission.getScopes().isEmpty() || permission.getScopes().contains(scope);
    }

    private static List<Policy> permittingPolicies(Result.PolicyResult permission) {
        List<Policy> permitting = new ArrayList<>();
        for (Result.PolicyResult policy : permission.getAssociatedPolicies()) {
            if (policy.getEffect() == Decision.Effect.PERMIT) {
                permitting.add(policy.getPolicy());
            }
        }
        return permitting;
    }

    private Resource typeResource(MlflowObject object) {
        return authorization.getStoreFactory().getResourceStore().findByName(resourceServer, object.kind().resourceName());
    }

    /** Keycloak's own collector of a decision, which also keeps the permissions that granted. */
    private static final class Collector extends DecisionPermissionCollector {

        private final List<Result.PolicyResult> granting = new ArrayList<>();

        Collector(AuthorizationProvider authorization, ResourceServer resourceServer) {
            super(authorization, resourceServer, new AuthorizationRequest());
        }

        @Override
        public void onComplete(Result result) {
            for (Result.PolicyResult permission : result.getResults()) {
                if (isGranted(permission)) {
                    granting.add(permission);
                }
            }
            super.onComplete(result);
        }

        List<Result.PolicyResult> granting() {
            return granting;
        }
    }
}
