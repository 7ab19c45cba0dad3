package io.github.mlflowkeycloak.request;

import java.util.List;
import java.util.function.Function;

/**
 * The request that NGINX asks /check about, as it will reach MLflow.
 *
 * @param method  the original method
 * @param target  the raw request target: path and query string
 * @param headers the original request's headers that NGINX passes on, by lower-case name
 * @param body    the original body, as the njs gate passes it (empty when NGINX sends none)
 */
public record MlflowRequest(String method, String target, Function<String, List<String>> headers, byte[] body) {

    /** The raw query string, without {@code ?}; empty when there is none. */
    public String rawQuery() {
        int question = target.indexOf('?');
        return question < 0 ? "" : target.substring(question + 1);
    }

    public boolean hasBody() {
        return body != null && body.length > 0;
    }
}
