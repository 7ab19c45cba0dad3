package io.github.mlflowkeycloak.route;

import java.util.List;
import java.util.Map;

/**
 * A scope a request needs, and the objects it needs it on.
 *
 * @param access the scope, on a kind of object
 * @param ids    the request fields that name the objects, with their values, keyed as the route
 *               table's IDS column names them (empty: none named)
 */
public record Requirement(Access.Scoped access, Map<String, List<String>> ids) {

    public Requirement {
        ids = Map.copyOf(ids);
    }
}
