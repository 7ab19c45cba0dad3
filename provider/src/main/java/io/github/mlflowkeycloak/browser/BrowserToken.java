package io.github.mlflowkeycloak.browser;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.keycloak.TokenCategory;
import org.keycloak.representations.JsonWebToken;

/**
 * What the gateway keeps in the browser, signed with the realm's internal (HMAC) key: the
 * sign-in in progress ({@value #LOGIN}) and the session ({@value #SESSION}). The session holds no
 * bearer token, only a reference to the Keycloak user session, so it is worth nothing elsewhere
 * and ends with that session.
 */
public class BrowserToken extends JsonWebToken {

    static final String LOGIN = "mlflow-login";
    static final String SESSION = "mlflow-session";

    @Override
    @JsonIgnore
    public TokenCategory getCategory() {
        return TokenCategory.INTERNAL;
    }

    String claim(String name) {
        Object value = getOtherClaims().get(name);
        return value instanceof String text ? text : null;
    }
}
