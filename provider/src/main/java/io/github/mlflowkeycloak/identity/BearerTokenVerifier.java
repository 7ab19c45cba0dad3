package io.github.mlflowkeycloak.identity;

import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/**
 * Verifies an access token in-process, as Keycloak's own REST endpoints do: signature with the
 * realm's keys, issuer (the realm's frontend URL), expiry, token type, an active user session,
 * an enabled user, and the audience of the MLflow resource server; and that it was issued to one
 * of the clients MLflow accepts, or is a service account's own. The audience alone does not say
 * so: Keycloak's default client scope {@code roles} adds a client to the audience of any client's
 * tokens of a user who holds one of its roles, so that every application a viewer signs in to
 * would otherwise hold their MLflow rights.
 */
public final class BearerTokenVerifier {

    private static final Logger LOG = Logger.getLogger(BearerTokenVerifier.class);

    private final String audience;
    private final Set<String> acceptedClients;

    /** @param acceptedClients the clients whose users' tokens are accepted */
    public BearerTokenVerifier(String audience, Set<String> acceptedClients) {
        this.audience = audience;
        this.acceptedClients = Set.copyOf(acceptedClients);
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
        if (!acceptedClients.contains(result.token().getIssuedFor()) && !isOwnServiceAccount(result)) {
            LOG.debugf("bearer token of client %s refused: not a client MLflow accepts tokens of", result.token().getIssuedFor());
            return Optional.empty();
        }
        return Optional.of(new Caller(result.user(), result.token()));
    }

    /** A client-credentials token: its client's own service account. */
    private static boolean isOwnServiceAccount(AuthResult result) {
        String link = result.user().getServiceAccountClientLink();
        return link != null && result.client() != null && link.equals(result.client().getId());
    }
}
