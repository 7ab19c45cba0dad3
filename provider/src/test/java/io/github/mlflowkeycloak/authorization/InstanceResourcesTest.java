package io.github.mlflowkeycloak.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.authorization.store.ResourceStore;

class InstanceResourcesTest {

    private static final String SERVER = "mlflow-client-uuid";
    private static final String TYPE = "urn:mlflow:experiment";

    @Test
    void theInstancesNoOneOwnsLoseTheirKindsTypeAndNothingElseDoes() {
        Map<String, Map<String, Object>> stored = new HashMap<>();
        stored.put("type-resource", state("experiment", SERVER, TYPE, null));
        stored.put("legacy", state("legacy (experiment/7)", SERVER, TYPE, "legacy"));
        stored.put("alices", state("alices (experiment/8)", "alice-id", TYPE, "alices"));
        // Another resource of the type that the resource server owns, not an instance: an admin's, left alone.
        stored.put("admins", state("admins' own", SERVER, TYPE, null));

        List<Resource> changed = InstanceResources.untypeUnowned(store(stored), resourceServer());

        assertThat(changed).extracting(Resource::getId).containsExactly("legacy");
        assertThat(stored.get("legacy").get("type")).isNull();
        assertThat(stored.get("type-resource").get("type")).isEqualTo(TYPE);
        assertThat(stored.get("alices").get("type")).isEqualTo(TYPE);
        assertThat(stored.get("admins").get("type")).isEqualTo(TYPE);
    }

    private static Map<String, Object> state(String name, String owner, String type, String mlflowName) {
        Map<String, Object> state = new HashMap<>();
        state.put("name", name);
        state.put("owner", owner);
        state.put("type", type);
        state.put("mlflowName", mlflowName);
        return state;
    }

    /** A store that answers find (all the resource server owns of the type, as the database would) and findById. */
    private static ResourceStore store(Map<String, Map<String, Object>> stored) {
        return proxy(ResourceStore.class, (method, args) -> switch (method) {
            case "findByName" -> stored.entrySet().stream().filter(e -> e.getValue().get("name").equals(args[1]))
                    .findFirst().map(e -> resource(e.getKey(), e.getValue())).orElse(null);
            case "find" -> {
                @SuppressWarnings("unchecked")
                Map<Resource.FilterOption, String[]> filter = (Map<Resource.FilterOption, String[]>) args[1];
                yield stored.entrySet().stream()
                        .filter(e -> filter.get(Resource.FilterOption.TYPE)[0].equals(e.getValue().get("type")))
                        .filter(e -> filter.get(Resource.FilterOption.OWNER)[0].equals(e.getValue().get("owner")))
                        .map(e -> resource(e.getKey(), e.getValue())).toList();
            }
            case "findById" -> resource((String) args[1], stored.get(args[1]));
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private static Resource resource(String id, Map<String, Object> state) {
        return proxy(Resource.class, (method, args) -> switch (method) {
            case "getId" -> id;
            case "getName" -> state.get("name");
            case "getOwner" -> state.get("owner");
            case "getType" -> state.get("type");
            case "getSingleAttribute" -> InstanceResources.MLFLOW_NAME_ATTRIBUTE.equals(args[0]) ? state.get("mlflowName") : null;
            case "setType" -> {
                state.put("type", args[0]);
                yield null;
            }
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private static ResourceServer resourceServer() {
        return proxy(ResourceServer.class, (method, args) -> switch (method) {
            case "getClientId", "getId" -> SERVER;
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer.answer(method.getName(), args)));
    }
}
