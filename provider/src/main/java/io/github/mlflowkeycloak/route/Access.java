package io.github.mlflowkeycloak.route;

/** What a route asks of the caller. */
public sealed interface Access {

    /** No credentials needed: load-balancer health checks. */
    record Public() implements Access {
    }

    /** Any caller with valid credentials: the UI's static files, the server version. */
    record SignedIn() implements Access {
    }

    /** A scope on a kind of MLflow object, decided by Keycloak Authorization Services. */
    record Scoped(ResourceKind kind, Scope scope) implements Access {
    }

    Public PUBLIC = new Public();
    SignedIn SIGNED_IN = new SignedIn();

    /** Parses the table's notation: {@code public}, {@code signed-in} or {@code <kind>:<scope>}. */
    static Access parse(String text) {
        switch (text) {
            case "public":
                return PUBLIC;
            case "signed-in":
                return SIGNED_IN;
            default:
                int colon = text.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("access must be public, signed-in or <kind>:<scope>: " + text);
                }
                return new Scoped(ResourceKind.fromResourceName(text.substring(0, colon)),
                        Scope.fromScopeName(text.substring(colon + 1)));
        }
    }
}
