package io.github.mlflowkeycloak.admin;

import jakarta.ws.rs.core.Response;

/** A request the admin API refuses: bad input (400), or an object or principal it does not know (404). */
final class AdminException extends Exception {

    private final Response.Status status;

    private AdminException(Response.Status status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static AdminException badRequest(String message) {
        return new AdminException(Response.Status.BAD_REQUEST, message);
    }

    static AdminException notFound(String message) {
        return new AdminException(Response.Status.NOT_FOUND, message);
    }

    Response.Status status() {
        return status;
    }
}
