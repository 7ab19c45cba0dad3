package io.github.mlflowkeycloak.route;

import java.util.Arrays;

/**
 * The kinds of MLflow object that carry their own permissions. Each has one server-owned
 * "type" resource in Keycloak Authorization Services, named {@link #resourceName()}.
 */
public enum ResourceKind {
    EXPERIMENT("experiment"),
    REGISTERED_MODEL("registered-model"),
    GATEWAY("gateway"),
    /** The tracking server itself: things that change it for everyone. */
    SERVER("server");

    private final String resourceName;

    ResourceKind(String resourceName) {
        this.resourceName = resourceName;
    }

    public String resourceName() {
        return resourceName;
    }

    static ResourceKind fromResourceName(String name) {
        return Arrays.stream(values())
                .filter(kind -> kind.resourceName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown resource kind: " + name));
    }
}
