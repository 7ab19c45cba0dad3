package io.github.mlflowkeycloak.request;

/** The request cannot be read unambiguously, as MLflow would read it: /check answers 400. */
public final class BadRequestException extends Exception {

    public BadRequestException(String message) {
        super(message, null, false, false);
    }
}
