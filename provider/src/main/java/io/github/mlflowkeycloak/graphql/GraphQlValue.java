package io.github.mlflowkeycloak.graphql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An argument value, as a literal of the query or a variable's JSON value gives it. Kept apart
 * by kind as GraphQL keeps them: only a string can be a String argument (an object id), while a
 * number, boolean or enum value never is one.
 */
public sealed interface GraphQlValue {

    /** A string: a literal ("…" or """…""", decoded) or a JSON string. */
    record Text(String text) implements GraphQlValue {
    }

    /** A number, boolean or enum value, as written. */
    record OtherScalar(String text) implements GraphQlValue {
    }

    record Null() implements GraphQlValue {
    }

    record ListOf(List<GraphQlValue> items) implements GraphQlValue {
    }

    record InputObject(Map<String, GraphQlValue> fields) implements GraphQlValue {
    }

    /** A variable of the query: stands for its value, once the operation is known. */
    record Variable(String name) implements GraphQlValue {
    }

    Null NULL = new Null();

    /** A variable's value as given in the request's JSON variables. */
    static GraphQlValue of(JsonNode json) {
        if (json.isTextual()) {
            return new Text(json.textValue());
        }
        if (json.isNull()) {
            return NULL;
        }
        if (json.isArray()) {
            List<GraphQlValue> items = new ArrayList<>();
            json.forEach(item -> items.add(of(item)));
            return new ListOf(items);
        }
        if (json.isObject()) {
            Map<String, GraphQlValue> fields = new LinkedHashMap<>();
            json.properties().forEach(field -> fields.put(field.getKey(), of(field.getValue())));
            return new InputObject(fields);
        }
        return new OtherScalar(json.asText());
    }
}
