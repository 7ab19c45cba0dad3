package io.github.mlflowkeycloak.check;

import java.util.Optional;

import io.github.mlflowkeycloak.browser.BrowserSessions;
import io.github.mlflowkeycloak.browser.CrossSiteRequests;
import io.github.mlflowkeycloak.identity.BearerTokenVerifier;
import io.github.mlflowkeycloak.identity.Caller;
import io.github.mlflowkeycloak.identity.Credentials;
import io.github.mlflowkeycloak.identity.ServiceAccountVerifier;
import jakarta.ws.rs.core.HttpHeaders;
import org.keycloak.models.KeycloakSession;

/**
 * Who the caller of a checked request is: a bearer token; else a service account's client id and
 * secret over Basic; else, with no Authorization header, the browser session cookie, which may
 * change things only from the MLflow host's own pages.
 */
final class CallerAuthentication {

    private final BearerTokenVerifier tokens;
    private final ServiceAccountVerifier serviceAccounts;
    private final BrowserSessions browserSessions;

    CallerAuthentication(BearerTokenVerifier tokens, ServiceAccountVerifier serviceAccounts, BrowserSessions browserSessions) {
        this.tokens = tokens;
        this.serviceAccounts = serviceAccounts;
        this.browserSessions = browserSessions;
    }

    /** The caller, or the 401 or 403 that says why the gateway cannot tell. */
    record Result(Caller caller, Decision refusal) {

        static Result of(Caller caller) {
            return new Result(caller, null);
        }

        static Result refused(Decision refusal) {
            return new Result(null, refusal);
        }
    }

    /** @param remoteAddress where the request came from, as the gateway saw it */
    Result authenticate(KeycloakSession session, HttpHeaders headers, String method, String remoteAddress) {
        String realm = session.getContext().getRealm().getName();
        Credentials credentials = Credentials.fromAuthorizationHeader(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (credentials instanceof Credentials.Bearer bearer) {
            return tokens.verify(session, bearer.token()).map(Result::of).orElseGet(() -> Result.refused(
                    Decision.unauthenticated(realm, "invalid_token", "The access token is invalid, expired, or not meant for MLflow.")));
        }
        if (credentials instanceof Credentials.Basic basic) {
            ServiceAccountVerifier.Result result = serviceAccounts.verify(session, basic, remoteAddress);
            if (result instanceof ServiceAccountVerifier.Result.SignedIn signedIn) {
                return Result.of(signedIn.caller());
            }
            String message = result instanceof ServiceAccountVerifier.Result.Blocked blocked
                    ? "Too many failed sign-ins of client '" + basic.clientId() + "' from this address; try again in "
                            + blocked.retryAfterSeconds() + " s."
                    : "Invalid client id or secret, or the client has no service account.";
            return Result.refused(Decision.unauthenticated(realm, "invalid_token", message));
        }
        if (credentials instanceof Credentials.None) {
            Optional<Caller> browser = browserSessions.verify(session, headers.getHeaderString(HttpHeaders.COOKIE));
            if (browser.isEmpty()) {
                return Result.refused(Decision.unauthenticated(realm, null, "Authentication required: sign in, or send"
                        + " an access token as 'Authorization: Bearer <token>' or a service account's client id and secret as HTTP Basic credentials."));
            }
            // A cookie is the one credential a browser adds by itself: only the MLflow host's own pages may use it to change things.
            if (!CrossSiteRequests.isAllowed(method, headers.getHeaderString(CrossSiteRequests.GATEWAY_URL_HEADER),
                    headers.getHeaderString("Origin"), headers.getHeaderString("Sec-Fetch-Site"))) {
                return Result.refused(Decision.refused("Cross-site request refused: a request signed in by the"
                        + " MLflow session cookie must come from MLflow's own pages."));
            }
            return Result.of(browser.get());
        }
        return Result.refused(Decision.unauthenticated(realm, "invalid_request",
                "The Authorization header must be 'Bearer <access token>' or 'Basic <client id:secret>'."));
    }
}
