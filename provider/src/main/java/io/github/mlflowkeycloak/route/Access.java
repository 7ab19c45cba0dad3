package io.github.mlflowkeycloak.route;

/** What a route asks of the caller. */
public sealed interface Access {

    /** No credentials needed: load-balancer health checks. */
    record Public() implements Access {
    }

    /** Any caller with valid credentials: the UI's static files, the server version. */
    record SignedIn() implements Access {
    }

    /** MLflow's GraphQL endpoint: decided per top-level field of the query. */
    record GraphQl() implements Access {
    }

    /** A scope on a kind of MLflow object, decided by Keycloak Authorization Services. */
    record Scoped(ResourceKind kind, Scope scope) implements Access {
    }

    Public PUBLIC = new Public();
    SignedIn SIGNED_IN = new SignedIn();
    GraphQl GRAPHQL = new GraphQl();

    /** Parses the table's notation: {@code public}, {@code signed-in}, {@code graphql} or {@code <kind>:<scope>}. */
    static Access parse(String text) {
        switch (text) {
            case "public":
                return PUBLIC;
            case "signed-in":
                return SIGNED_IN;
            case "graphql":
                return GRAPHQL;
            default:
                int colon = text.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("access must be public, signed-in, graphql or <kind>:<scope>: " + text);
                }
                return new Scoped(ResourceKind.fromResourceName(text.substring(0, colon)),
                        Scope.fromScopeName(text.substring(colon + 1)));
        }
    }
}
