package io.github.mlflowkeycloak.admin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.model.Policy;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.authorization.store.PolicyStore;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.idm.authorization.AbstractPolicyRepresentation;
import org.keycloak.representations.idm.authorization.DecisionStrategy;
import org.keycloak.representations.idm.authorization.GroupPolicyRepresentation;
import org.keycloak.representations.idm.authorization.Logic;
import org.keycloak.representations.idm.authorization.RolePolicyRepresentation;
import org.keycloak.representations.idm.authorization.ScopePermissionRepresentation;
import org.keycloak.representations.idm.authorization.UserPolicyRepresentation;

/**
 * The admin grants on one object: per principal, a user, group or role policy and a scope
 * permission on the object's resource, both named after the object and the principal (so that the
 * admin console lists them readably) and marked by their description. A grant is found again by
 * that mark and the principal its policy names, not by its name, which follows renames.
 */
final class Grants {

    /** Marks what this API made, so that it changes and removes that and nothing an admin made by hand. */
    static final String DESCRIPTION = "Made by mlflow-keycloak's access API (mlflow-keycloak access, /admin/realms/<realm>/mlflow): "
            + "change or revoke it there, which removes its policy too.";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** With an object's label (at most 153 characters) and " (policy)", a name stays within Keycloak's 255. */
    private static final int PRINCIPAL_LABEL_LENGTH = 90;

    /** One principal's grant: its permission, its policy and the scopes the permission carries. */
    record Grant(Principal principal, Policy permission, Policy policy, SortedSet<String> scopes) {

        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("principal", principal.json());
            json.put("scopes", List.copyOf(scopes));
            json.put("via", "grant");
            json.put("permission", permission.getName());
            return json;
        }
    }

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AuthorizationProvider authorization;
    private final ResourceServer resourceServer;

    Grants(KeycloakSession session, AuthorizationProvider authorization, ResourceServer resourceServer) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.authorization = authorization;
        this.resourceServer = resourceServer;
    }

    List<Grant> on(Resource resource) {
        List<Grant> grants = new ArrayList<>();
        for (Policy permission : authorization.getStoreFactory().getPolicyStore().findByResource(resourceServer, resource)) {
            grantOf(permission, resource).ifPresent(grants::add);
        }
        grants.sort((a, b) -> a.permission().getName().compareTo(b.permission().getName()));
        return grants;
    }

    Optional<Grant> of(Resource resource, Principal principal) {
        return on(resource).stream().filter(grant -> grant.principal().equals(principal)).findFirst();
    }

    /**
     * Gives the principal exactly these scopes on the object; none revokes.
     *
     * @return the grant as it is now; empty when revoked
     */
    Optional<Grant> set(MlflowObject object, Resource resource, Principal principal, Set<String> scopes) {
        Optional<Grant> existing = of(resource, principal);
        if (scopes.isEmpty()) {
            existing.ifPresent(this::remove);
            return Optional.empty();
        }
        String permissionName = object.label() + ": " + Labels.bounded(principal.label(), PRINCIPAL_LABEL_LENGTH);
        String policyName = permissionName + " (policy)";
        PolicyStore policies = authorization.getStoreFactory().getPolicyStore();
        removeOrphan(policies, policyName);
        if (existing.isPresent()) {
            Policy permission = existing.get().permission();
            Set<org.keycloak.authorization.model.Scope> wanted = scopeModels(scopes);
            for (org.keycloak.authorization.model.Scope scope : new HashSet<>(permission.getScopes())) {
                if (!wanted.contains(scope)) {
                    permission.removeScope(scope);
                }
            }
            for (org.keycloak.authorization.model.Scope scope : wanted) {
                if (!permission.getScopes().contains(scope)) {
                    permission.addScope(scope);
                }
            }
            // The object may have been renamed since: the names follow.
            permission.setName(permissionName);
            existing.get().policy().setName(policyName);
            return Optional.of(new Grant(principal, permission, existing.get().policy(), new TreeSet<>(scopes)));
        }
        AbstractPolicyRepresentation who = policyFor(principal);
        who.setName(policyName);
        who.setDescription(DESCRIPTION);
        who.setLogic(Logic.POSITIVE);
        who.setDecisionStrategy(DecisionStrategy.UNANIMOUS);
        Policy policy = policies.create(resourceServer, who);
        ScopePermissionRepresentation permission = new ScopePermissionRepresentation();
        permission.setName(permissionName);
        permission.setDescription(DESCRIPTION);
        permission.setDecisionStrategy(DecisionStrategy.AFFIRMATIVE);
        permission.addResource(resource.getId());
        for (org.keycloak.authorization.model.Scope scope : scopeModels(scopes)) {
            permission.addScope(scope.getId());
        }
        permission.addPolicy(policy.getId());
        // Returned as made: the store's queries need not see it before the transaction ends.
        return Optional.of(new Grant(principal, policies.create(resourceServer, permission), policy, new TreeSet<>(scopes)));
    }

    /**
     * A grant's policy left behind by Keycloak, which removes a resource with the permissions that
     * name it alone but not their policies (a model deleted in MLflow): it would block the name.
     */
    private void removeOrphan(PolicyStore policies, String policyName) {
        Policy left = policies.findByName(resourceServer, policyName);
        if (left != null && DESCRIPTION.equals(left.getDescription()) && policies.findDependentPolicies(resourceServer, left.getId()).isEmpty()) {
            policies.delete(left.getId());
        }
    }

    /** Removes the grant's permission and its policy: nothing is left behind. */
    void remove(Grant grant) {
        PolicyStore policies = authorization.getStoreFactory().getPolicyStore();
        policies.delete(grant.permission().getId());
        policies.delete(grant.policy().getId());
    }

    private Set<org.keycloak.authorization.model.Scope> scopeModels(Collection<String> names) {
        Set<org.keycloak.authorization.model.Scope> models = new HashSet<>();
        for (String name : names) {
            org.keycloak.authorization.model.Scope scope = authorization.getStoreFactory().getScopeStore().findByName(resourceServer, name);
            if (scope == null) {
                throw new IllegalStateException("the MLflow resource server lacks the scope " + name);
            }
            models.add(scope);
        }
        return models;
    }

    private static AbstractPolicyRepresentation policyFor(Principal principal) {
        return switch (principal.type()) {
            case USER -> {
                UserPolicyRepresentation user = new UserPolicyRepresentation();
                user.addUser(principal.id());
                yield user;
            }
            case GROUP -> {
                GroupPolicyRepresentation group = new GroupPolicyRepresentation();
                group.addGroup(principal.id(), false);
                yield group;
            }
            case ROLE -> {
                RolePolicyRepresentation role = new RolePolicyRepresentation();
                role.addRole(principal.id(), false);
                // A role taken away ends the grant at the next request, as the realm's role policies do.
                role.setFetchRoles(true);
                yield role;
            }
        };
    }

    /** The grant a permission is: ours, on this resource alone, through one policy of ours that names one principal. */
    private Optional<Grant> grantOf(Policy permission, Resource resource) {
        if (!"scope".equals(permission.getType()) || !DESCRIPTION.equals(permission.getDescription())
                || permission.getResources().size() != 1 || !permission.getResources().contains(resource)
                || permission.getAssociatedPolicies().size() != 1) {
            return Optional.empty();
        }
        Policy policy = permission.getAssociatedPolicies().iterator().next();
        if (!DESCRIPTION.equals(policy.getDescription())) {
            return Optional.empty();
        }
        SortedSet<String> scopes = new TreeSet<>();
        permission.getScopes().forEach(scope -> scopes.add(scope.getName()));
        return principalOf(policy).map(principal -> new Grant(principal, permission, policy, scopes));
    }

    /** The one user, group or role a user, group or role policy names; empty for anything else. */
    Optional<Principal> principalOf(Policy policy) {
        return switch (policy.getType()) {
            case "user" -> onlyId(policy.getConfig().get("users"))
                    .map(id -> session.users().getUserById(realm, id)).map(Principal::of);
            case "group" -> onlyId(policy.getConfig().get("groups"))
                    .map(id -> session.groups().getGroupById(realm, id)).map(Principal::of);
            case "role" -> onlyId(policy.getConfig().get("roles"))
                    .map(realm::getRoleById).map(Principal::of);
            default -> Optional.empty();
        };
    }

    /** Every user, group and role a user, group or role policy names. */
    List<Principal> principalsOf(Policy policy) {
        List<Principal> principals = new ArrayList<>();
        for (String id : ids(policy.getConfig().get(switch (policy.getType()) {
            case "user" -> "users";
            case "group" -> "groups";
            case "role" -> "roles";
            default -> "";
        }))) {
            switch (policy.getType()) {
                case "user" -> {
                    UserModel user = session.users().getUserById(realm, id);
                    if (user != null) {
                        principals.add(Principal.of(user));
                    }
                }
                case "group" -> {
                    GroupModel group = session.groups().getGroupById(realm, id);
                    if (group != null) {
                        principals.add(Principal.of(group));
                    }
                }
                case "role" -> {
                    RoleModel role = realm.getRoleById(id);
                    if (role != null) {
                        principals.add(Principal.of(role));
                    }
                }
                default -> {
                }
            }
        }
        return principals;
    }

    private static Optional<String> onlyId(String config) {
        List<String> ids = ids(config);
        return ids.size() == 1 ? Optional.of(ids.get(0)) : Optional.empty();
    }

    /** The ids in a policy's config: {@code ["id"]} for users, {@code [{"id": …}]} for groups and roles. */
    private static List<String> ids(String config) {
        List<String> ids = new ArrayList<>();
        if (config == null) {
            return ids;
        }
        try {
            for (JsonNode entry : JSON.readTree(config)) {
                JsonNode id = entry.isObject() ? entry.path("id") : entry;
                if (id.isTextual()) {
                    ids.add(id.textValue());
                }
            }
        } catch (IOException e) {
            // A policy whose config is not ours to read names nobody we know.
        }
        return ids;
    }
}
