package io.github.mlflowkeycloak.route;

import java.util.List;

/**
 * One line of the route table.
 *
 * @param method the HTTP method MLflow serves the path under (HEAD is looked up as GET)
 * @param path   the path as MLflow's router writes it, with {@code <name>} and {@code <path:name>}
 * @param access what the caller needs
 * @param ids    the request fields that name the objects acted on, and where MLflow reads them
 * @param references the request fields that name other objects MLflow follows, and what each needs
 * @param authors the request fields through which a client says who did something (the WHO column)
 * @param operation the operation the route serves, as {@code METHOD /api/…}: a route under
 *               {@code /ajax-api/} (the UI's copy of the API) is the same operation as its
 *               {@code /api/} twin. Derived from method and path (whatever is passed), once per
 *               route rather than per request.
 */
public record Route(String method, PathPattern path, Access access, List<RequestField> ids, List<Reference> references,
        List<Author> authors, String operation) {

    public Route {
        ids = List.copyOf(ids);
        references = List.copyOf(references);
        authors = List.copyOf(authors);
        String text = path.toString();
        operation = method + " " + (text.startsWith("/ajax-api/") ? "/api/" + text.substring("/ajax-api/".length()) : text);
    }

    public Route(String method, PathPattern path, Access access, List<RequestField> ids, List<Reference> references,
            List<Author> authors) {
        this(method, path, access, ids, references, authors, null);
    }

    public Route(String method, PathPattern path, Access access, List<RequestField> ids, List<Reference> references) {
        this(method, path, access, ids, references, List.of());
    }
}
