package io.github.mlflowkeycloak.route;

/**
 * One line of the route table.
 *
 * @param method the HTTP method MLflow serves the path under (HEAD is looked up as GET)
 * @param path   the path as MLflow's router writes it, with {@code <name>} and {@code <path:name>}
 * @param access what the caller needs
 * @param ids    the request fields, in MLflow's words, that name the object acted on
 *               ({@code experiment_id}, {@code run_id}, {@code name}, …), or empty
 */
public record Route(String method, PathPattern path, Access access, String ids) {
}
