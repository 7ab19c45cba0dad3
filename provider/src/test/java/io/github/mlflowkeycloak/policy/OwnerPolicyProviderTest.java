package io.github.mlflowkeycloak.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.keycloak.authorization.identity.Identity;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.authorization.permission.ResourcePermission;
import org.keycloak.authorization.policy.evaluation.Evaluation;
import org.keycloak.authorization.policy.evaluation.EvaluationContext;

class OwnerPolicyProviderTest {

    private static final String RESOURCE_SERVER = "mlflow-client-uuid";

    @Test
    void grantsTheOwnerOfAnObjectAndNoOneElse() {
        assertThat(granted(resource("alice-id"), "alice-id")).isTrue();
        assertThat(granted(resource("alice-id"), "bob-id")).isFalse();
    }

    @Test
    void grantsNoOneOnAResourceTheResourceServerOwnsNotEvenTheResourceServer() {
        assertThat(granted(resource(RESOURCE_SERVER), RESOURCE_SERVER)).isFalse();
        assertThat(granted(resource(RESOURCE_SERVER), "alice-id")).isFalse();
    }

    @Test
    void grantsNoOneWithoutAResource() {
        assertThat(granted(null, "alice-id")).isFalse();
    }

    private static boolean granted(Resource resource, String identityId) {
        ResourceServer resourceServer = fake(ResourceServer.class, "getClientId", RESOURCE_SERVER);
        ResourcePermission permission = new ResourcePermission(resource, List.of(), resourceServer);
        Identity identity = fake(Identity.class, "getId", identityId);
        EvaluationContext context = fake(EvaluationContext.class, "getIdentity", identity);
        AtomicBoolean granted = new AtomicBoolean();
        Evaluation evaluation = (Evaluation) Proxy.newProxyInstance(Evaluation.class.getClassLoader(), new Class<?>[] {Evaluation.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getPermission" -> permission;
                    case "getContext" -> context;
                    case "grant" -> {
                        granted.set(true);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        new OwnerPolicyProvider().evaluate(evaluation);
        return granted.get();
    }

    private static Resource resource(String owner) {
        return fake(Resource.class, "getOwner", owner);
    }

    /** An interface of which only one getter is read. */
    private static <T> T fake(Class<T> type, String getter, Object value) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals(getter)) {
                return value;
            }
            if (method.getName().equals("hashCode")) {
                return System.identityHashCode(proxy);
            }
            if (method.getName().equals("equals")) {
                return proxy == args[0];
            }
            throw new UnsupportedOperationException(method.getName());
        }));
    }
}
