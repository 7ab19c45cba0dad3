package io.github.mlflowkeycloak.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.keycloak.authorization.model.Policy;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.model.Scope;
import org.keycloak.authorization.store.PolicyStore;
import org.keycloak.representations.idm.authorization.DecisionStrategy;
import org.keycloak.representations.idm.authorization.Logic;

class ObjectGrantCandidatesTest {

    @Test
    void policiesThatAnswerAlikeForEveryObjectLetCandidatesBeChosen() {
        Policy viewers = policy("role");
        Policy team = policy("group");
        Policy aggregate = policy("aggregate", viewers, team, policy("time"));
        assertThat(answerAlikeForEveryObject(policy("scope", viewers), policy("scope", aggregate), policy("resource", policy("user")),
                policy("scope", policy("mlflow-owner")), policy("scope", policy("mlflow-namespace")), policy("scope", policy("regex"),
                        policy("client"), policy("client-scope"), policy("mlflow-user-namespace"), policy("mlflow-group-namespace"))))
                .isTrue();
    }

    @Test
    void aPolicyWhoseAnswerMayDependOnTheObjectMeansEveryObjectIsEvaluated() {
        assertThat(answerAlikeForEveryObject(policy("scope", policy("role")), policy("scope", policy("js")))).isFalse();
        assertThat(answerAlikeForEveryObject(policy("scope", policy("aggregate", policy("group"), policy("another-extensions-type"))))).isFalse();
        // An owner's share on the type resource itself grants the type resource's owner, and is counted apart.
        assertThat(answerAlikeForEveryObject(policy("resource", policy("uma", policy("user"))))).isFalse();
    }

    @Test
    void aPolicyReachedTwiceIsWalkedOnce() {
        Policy shared = policy("role");
        Policy cycle = policy("aggregate", shared);
        assertThat(answerAlikeForEveryObject(policy("scope", shared, cycle), policy("scope", cycle, shared))).isTrue();
    }

    @Test
    void aPermissionThatGrantsEveryOwnerTheScopeIsRecognized() {
        Scope read = scope("read");
        Policy owners = policy("mlflow-owner");
        assertThat(ObjectGrantCandidates.grantsEveryOwner(List.of(permission("scope", Set.of(read, scope("update")),
                DecisionStrategy.AFFIRMATIVE, owners)), read)).isTrue();
        // A resource permission grants every scope asked.
        assertThat(ObjectGrantCandidates.grantsEveryOwner(List.of(permission("resource", Set.of(), DecisionStrategy.UNANIMOUS, owners)), read))
                .isTrue();
        // Alone, the owner policy decides under any strategy; beside others, only under an affirmative one.
        assertThat(ObjectGrantCandidates.grantsEveryOwner(List.of(permission("scope", Set.of(read), DecisionStrategy.CONSENSUS, owners)), read))
                .isTrue();
        assertThat(ObjectGrantCandidates.grantsEveryOwner(List.of(permission("scope", Set.of(read), DecisionStrategy.AFFIRMATIVE,
                policy("role"), owners)), read)).isTrue();
    }

    @Test
    void noPermissionGrantsEveryOwnerWhenTheOwnersCountDependsOnMore() {
        Scope read = scope("read");
        Policy owners = policy("mlflow-owner");
        // Another scope.
        assertThat(ObjectGrantCandidates.grantsEveryOwner(List.of(permission("scope", Set.of(scope("update")), DecisionStrategy.AFFIRMATIVE,
                owners)), read)).isFalse();
        // Owners who must also hold a role.
        assertThat(ObjectGrantCandidates.grantsEveryOwner(List.of(permission("scope", Set.of(read), DecisionStrategy.UNANIMOUS,
                policy("role"), owners)), read)).isFalse();
        assertThat(ObjectGrantCandidates.grantsEveryOwner(List.of(permission("scope", Set.of(read), DecisionStrategy.CONSENSUS,
                policy("role"), owners)), read)).isFalse();
        // Everyone but the owner; a negative permission (Keycloak would ignore its logic: evaluated, by caution).
        assertThat(ObjectGrantCandidates.grantsEveryOwner(List.of(permission("scope", Set.of(read), DecisionStrategy.AFFIRMATIVE,
                policy("mlflow-owner", Logic.NEGATIVE))), read)).isFalse();
        assertThat(ObjectGrantCandidates.grantsEveryOwner(List.of(policy("scope", Logic.NEGATIVE, Set.of(read), DecisionStrategy.AFFIRMATIVE,
                owners)), read)).isFalse();
        // The owner policy inside an aggregate is not looked into: evaluated.
        assertThat(ObjectGrantCandidates.grantsEveryOwner(List.of(permission("scope", Set.of(read), DecisionStrategy.AFFIRMATIVE,
                policy("aggregate", owners))), read)).isFalse();
        assertThat(ObjectGrantCandidates.grantsEveryOwner(List.of(), read)).isFalse();
    }

    @Test
    void anObjectTheCallerOwnsIsGrantedUnevaluatedOnlyWhenEveryOwnerIsAndItHasNoPermissionsOfItsOwn() {
        Resource owned = resource("experiment", "alice-id");
        Resource sharedByAlice = resource("experiment", "alice-id");
        Map<Resource, List<Policy>> ownPermissions = Map.of(sharedByAlice, List.of(policy("uma")));
        assertThat(candidates(true, ownPermissions).answerOn(owned)).isEqualTo(ObjectGrantCandidates.Known.GRANTED);
        assertThat(candidates(true, ownPermissions).answerOn(sharedByAlice)).isEqualTo(ObjectGrantCandidates.Known.NOT_YET);
        assertThat(candidates(false, ownPermissions).answerOn(owned)).isEqualTo(ObjectGrantCandidates.Known.NOT_YET);
        // A resource of another type: Keycloak applies other permissions to it.
        assertThat(candidates(true, ownPermissions).answerOn(resource("registered-model", "alice-id")))
                .isEqualTo(ObjectGrantCandidates.Known.NOT_YET);
    }

    @Test
    void anObjectOfAnotherOwnerIsRefusedUnevaluatedUnlessItHasPermissionsOfItsOwn() {
        Resource bobs = resource("experiment", "bob-id");
        Resource sharedByBob = resource("experiment", "bob-id");
        Map<Resource, List<Policy>> ownPermissions = Map.of(sharedByBob, List.of(policy("uma")));
        assertThat(candidates(true, ownPermissions).answerOn(bobs)).isEqualTo(ObjectGrantCandidates.Known.REFUSED);
        assertThat(candidates(true, ownPermissions).answerOn(sharedByBob)).isEqualTo(ObjectGrantCandidates.Known.NOT_YET);
    }

    /** For alice, on experiments, without namespaces; the policy store holds the objects' own permissions. */
    private static ObjectGrantCandidates candidates(boolean grantsEveryOwner, Map<Resource, List<Policy>> ownPermissions) {
        PolicyStore policies = (PolicyStore) Proxy.newProxyInstance(PolicyStore.class.getClassLoader(), new Class<?>[] {PolicyStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("findByResource") && args.length == 2) {
                        return ownPermissions.getOrDefault((Resource) args[1], List.of());
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new ObjectGrantCandidates(policies, null, "experiment", "alice-id", null, grantsEveryOwner);
    }

    private static Resource resource(String type, String owner) {
        String id = "resource-" + ids++;
        return (Resource) Proxy.newProxyInstance(Resource.class.getClassLoader(), new Class<?>[] {Resource.class}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "getId", "toString" -> id;
                    case "getType" -> type;
                    case "getOwner" -> owner;
                    case "getAttributes" -> Map.of();
                    case "hashCode" -> id.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static boolean answerAlikeForEveryObject(Policy... permissions) {
        return ObjectGrantCandidates.answerAlikeForEveryObject(new ArrayDeque<>(List.of(permissions)));
    }

    private static int ids;

    private static Policy policy(String type, Policy... associated) {
        return policy(type, Logic.POSITIVE, Set.of(), DecisionStrategy.UNANIMOUS, associated);
    }

    private static Policy policy(String type, Logic logic) {
        return policy(type, logic, Set.of(), DecisionStrategy.UNANIMOUS);
    }

    private static Policy permission(String type, Set<Scope> scopes, DecisionStrategy strategy, Policy... associated) {
        return policy(type, Logic.POSITIVE, scopes, strategy, associated);
    }

    /** A stored policy as Keycloak hands it out, with what the walk and the owners' check read. */
    private static Policy policy(String type, Logic logic, Set<Scope> scopes, DecisionStrategy strategy, Policy... associated) {
        String id = type + "-" + ids++;
        return (Policy) Proxy.newProxyInstance(Policy.class.getClassLoader(), new Class<?>[] {Policy.class}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "getId" -> id;
                    case "getType" -> type;
                    case "getLogic" -> logic;
                    case "getScopes" -> scopes;
                    case "getDecisionStrategy" -> strategy;
                    case "getAssociatedPolicies" -> Set.of(associated);
                    case "hashCode" -> id.hashCode();
                    case "equals" -> proxy == args[0];
                    case "toString" -> id;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A scope: the owners' check compares scopes as Keycloak does, by equality. */
    private static Scope scope(String name) {
        return (Scope) Proxy.newProxyInstance(Scope.class.getClassLoader(), new Class<?>[] {Scope.class}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "getName", "toString" -> name;
                    case "hashCode" -> name.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
