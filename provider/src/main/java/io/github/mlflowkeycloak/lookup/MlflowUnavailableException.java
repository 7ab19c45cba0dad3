package io.github.mlflowkeycloak.lookup;

/** MLflow could not be asked, or answered with an error that says nothing about the object. */
public final class MlflowUnavailableException extends Exception {

    public MlflowUnavailableException(String message) {
        super(message);
    }

    public MlflowUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
