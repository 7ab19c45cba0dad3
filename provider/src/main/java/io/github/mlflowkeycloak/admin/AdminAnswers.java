package io.github.mlflowkeycloak.admin;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The admin API's answers: JSON written here, with every field present (null included), since
 * clients code against the field names; errors as {@code {"error": …}}.
 */
final class AdminAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminAnswers() {
    }

    static Response ok(Object body) {
        return json(Response.Status.OK, body);
    }

    static Response error(Response.Status status, String message) {
        return json(status, Map.of("error", message));
    }

    private static Response json(Response.Status status, Object body) {
        try {
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store")
                    .entity(JSON.writeValueAsString(body)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer of the admin API cannot be written as JSON", e);
        }
    }
}
