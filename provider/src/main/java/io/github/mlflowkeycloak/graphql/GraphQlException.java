package io.github.mlflowkeycloak.graphql;

/** A GraphQL query that cannot be read with certainty: refused. */
public final class GraphQlException extends Exception {

    public GraphQlException(String message) {
        super(message, null, false, false);
    }
}
