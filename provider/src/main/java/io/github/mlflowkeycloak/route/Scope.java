package io.github.mlflowkeycloak.route;

import java.util.Locale;

/** The Authorization Services scopes of the {@code mlflow} resource server. */
public enum Scope {
    READ,
    UPDATE,
    DELETE,
    /** Permissions and sharing. */
    MANAGE,
    /** Top-level creation: a new experiment or registered model. */
    CREATE,
    /** Invoking gateway endpoints. */
    USE;

    private final String scopeName = name().toLowerCase(Locale.ROOT);

    public String scopeName() {
        return scopeName;
    }

    static Scope fromScopeName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
