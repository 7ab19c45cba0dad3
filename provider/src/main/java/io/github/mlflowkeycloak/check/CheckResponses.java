package io.github.mlflowkeycloak.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowkeycloak.identity.Caller;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.UserModel;
import org.keycloak.util.JsonSerialization;

/**
 * The answers of {@code /check}. Errors use MLflow's own JSON error shape, so that MLflow's
 * clients show them as they show MLflow's errors; the same JSON is repeated in
 * {@value #ERROR_HEADER}, because NGINX's {@code auth_request} can read a subrequest's headers
 * but not its body.
 */
final class CheckResponses {

    static final String USER_HEADER = "X-MLflow-User";
    static final String USER_ID_HEADER = "X-MLflow-User-Id";
    static final String EMAIL_HEADER = "X-MLflow-Email";
    static final String ERROR_HEADER = "X-MLflow-Check-Error";
    static final String STATUS_HEADER = "X-MLflow-Check-Status";
    static final String OBJECT_EVENT_HEADER = "X-MLflow-Object-Event";
    static final String FORWARD_HEADER = "X-MLflow-Forward";

    private CheckResponses() {
    }

    /** 204: allowed, for a route that needs no caller. */
    static Response allowAnonymous() {
        return Response.noContent().build();
    }

    /** 204: allowed, with who the caller is, for NGINX to forward to MLflow. */
    static Response allow(Caller caller) {
        UserModel user = caller.user();
        Response.ResponseBuilder response = Response.noContent()
                .header(USER_HEADER, headerSafe(user.getUsername()))
                .header(USER_ID_HEADER, headerSafe(user.getId()));
        if (user.getEmail() != null) {
            response.header(EMAIL_HEADER, headerSafe(user.getEmail()));
        }
        return response.build();
    }

    /** 204 for a request whose success the gateway must report to {@code object-events}. */
    static Response allowAndReport(Caller caller) {
        return Response.fromResponse(allow(caller)).header(OBJECT_EVENT_HEADER, "report").build();
    }

    /**
     * 200 marked {@value #FORWARD_HEADER}: allowed, and the body is the request body MLflow is to
     * receive instead of the client's (the caller named where the client named someone). The
     * allowing answer's headers (who the caller is, whether to report the outcome) come along.
     */
    static Response forward(Response allowed, byte[] body) {
        Response.ResponseBuilder response = Response.ok(body, MediaType.APPLICATION_JSON_TYPE)
                .header(FORWARD_HEADER, "rewritten")
                .header("Cache-Control", "no-store");
        for (String header : new String[] {USER_HEADER, USER_ID_HEADER, EMAIL_HEADER, OBJECT_EVENT_HEADER}) {
            Object value = allowed.getHeaders().getFirst(header);
            if (value != null) {
                response.header(header, value);
            }
        }
        return response.build();
    }

    /** 200: the answer itself (a filtered search), which the gateway sends as MLflow's. */
    static Response answer(JsonNode answer) {
        return Response.ok(answer.toString(), MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
    }

    /** 401, with the RFC 6750 challenge; {@code error} is null when no credentials were sent. */
    static Response unauthenticated(String realm, String error, String message) {
        StringBuilder challenge = new StringBuilder("Bearer realm=\"").append(realm).append('"');
        if (error != null) {
            challenge.append(", error=\"").append(error).append('"');
        }
        return error(Response.Status.UNAUTHORIZED, "UNAUTHENTICATED", message)
                .header("WWW-Authenticate", challenge.toString())
                .build();
    }

    /**
     * 400: MLflow could read the request as naming other objects than the check would. NGINX's
     * auth_request passes on only 2xx, 401 and 403, so when it asks, the 400 travels as a 403
     * marked {@value #STATUS_HEADER}, which NGINX answers as the 400 it is.
     */
    static Response badRequest(String message, boolean askedByAuthRequest) {
        Response.ResponseBuilder response = error(askedByAuthRequest ? Response.Status.FORBIDDEN : Response.Status.BAD_REQUEST,
                "INVALID_PARAMETER_VALUE", message);
        if (askedByAuthRequest) {
            response.header(STATUS_HEADER, "400");
        }
        return response.build();
    }

    /** 404 as MLflow answers it for an object that does not exist. */
    static Response notFound(String message) {
        return error(Response.Status.NOT_FOUND, "RESOURCE_DOES_NOT_EXIST", message).build();
    }

    static Response forbidden(String message) {
        return error(Response.Status.FORBIDDEN, "PERMISSION_DENIED", message).build();
    }

    /** 503: the decision could not be taken; NGINX refuses the request. */
    static Response unavailable(String message) {
        return error(Response.Status.SERVICE_UNAVAILABLE, "TEMPORARILY_UNAVAILABLE", message).build();
    }

    private static Response.ResponseBuilder error(Response.Status status, String errorCode, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error_code", errorCode);
        body.put("message", message);
        String json;
        try {
            json = JsonSerialization.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(ERROR_HEADER, json)
                .header("Cache-Control", "no-store")
                .entity(json);
    }

    /**
     * Header values pass through NGINX to MLflow: printable ASCII as is, anything else
     * percent-encoded as UTF-8, so that no user attribute can split or forge a header.
     */
    static String headerSafe(String value) {
        StringBuilder safe = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean printable = c >= 0x20 && c < 0x7f && c != '%';
            if (printable && safe == null) {
                continue;
            }
            if (safe == null) {
                safe = new StringBuilder(value.length() + 16).append(value, 0, i);
            }
            if (printable) {
                safe.append(c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < value.length() ? i + 2 : i + 1;
                for (byte b : value.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    safe.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4 & 0xf, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
                }
                i = end - 1;
            }
        }
        return safe == null ? value : safe.toString();
    }
}
