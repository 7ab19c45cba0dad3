package io.github.mlflowkeycloak.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.keycloak.authorization.model.Policy;

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

    private static boolean answerAlikeForEveryObject(Policy... permissions) {
        return ObjectGrantCandidates.answerAlikeForEveryObject(new ArrayDeque<>(List.of(permissions)));
    }

    private static int ids;

    /** A stored policy as Keycloak hands it out: its id, type and associated policies are all the walk reads. */
    private static Policy policy(String type, Policy... associated) {
        String id = type + "-" + ids++;
        return (Policy) Proxy.newProxyInstance(Policy.class.getClassLoader(), new Class<?>[] {Policy.class}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "getId" -> id;
                    case "getType" -> type;
                    case "getAssociatedPolicies" -> Set.of(associated);
                    case "hashCode" -> id.hashCode();
                    case "equals" -> proxy == args[0];
                    case "toString" -> id;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
