package io.github.mlflowkeycloak.identity;

import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;

/**
 * An authenticated caller: the Keycloak user, and the access token Authorization Services
 * evaluate it by (the verified one it presented, or one that stands for it).
 */
public record Caller(UserModel user, AccessToken token) {

    /**
     * A caller who signed in without an access token (a service account's secret, a browser
     * session): a token naming who and through which client, for Authorization Services alone.
     * Never signed or sent anywhere; the role policies read the user's current roles anyway.
     */
    public static Caller withoutToken(UserModel user, String clientId) {
        AccessToken identity = new AccessToken();
        identity.subject(user.getId());
        identity.issuedFor(clientId);
        identity.type("Bearer");
        return new Caller(user, identity);
    }
}
