package io.github.mlflowkeycloak.identity;

import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/**
 * Verifies an access token in-process, as Keycloak's own REST endpoints do: signature with the
 * realm's keys, issuer (the realm's frontend URL), expiry, token type, an active user session,
 * an enabled user, and the audience of the MLflow resource server.
 */
public final class BearerTokenVerifier {

    private static final Logger LOG = Logger.getLogger(BearerTokenVerifier.class);

    private final String audience;

    public BearerTokenVerifier(String audience) {
        this.audience = audience;
    }

    public Optional<Caller> verify(KeycloakSession session, String token) {
        AuthResult result;
        try {
            result = new AppAuthManager.BearerTokenAuthenticator(session)
                    .setAudience(audience)
                    .setTokenString(token)
                    .authenticate();
        } catch (RuntimeException e) {
            // Keycloak signals some malformed tokens by exception rather than by a null result.
            LOG.debugf("bearer token rejected: %s", e.toString());
            return Optional.empty();
        }
        if (result == null || result.user() == null || result.token() == null) {
            return Optional.empty();
        }
        return Optional.of(new Caller(result.user(), result.token()));
    }
}
