package io.github.mlflowkeycloak.graphql;

/** A top-level GraphQL field the gateway has no rule for: refused, as an unknown route is. */
public final class UnknownGraphQlFieldException extends Exception {

    private final String field;

    public UnknownGraphQlFieldException(String field) {
        super(field, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
