package io.github.mlflowkeycloak.browser;

import java.util.Optional;

import io.github.mlflowkeycloak.identity.Caller;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * The browser session cookie as a credential: valid while the Keycloak user session it refers to
 * is (not logged out, not ended by an admin, within its idle and max lifetimes) and its user is
 * enabled. Using MLflow counts as activity of that session, as a token refresh would.
 */
public final class BrowserSessions {

    /** Refresh the session's idle timer at most this often (seconds), not on every request. */
    private static final int REFRESH_EVERY = 60;

    private final String uiClientId;

    public BrowserSessions(String uiClientId) {
        this.uiClientId = uiClientId;
    }

    /** The caller whose session cookie the Cookie header carries, if it is valid now. */
    public Optional<Caller> verify(KeycloakSession session, String cookieHeader) {
        Optional<String> cookie = Cookies.read(cookieHeader, Cookies.SESSION);
        if (cookie.isEmpty()) {
            return Optional.empty();
        }
        BrowserToken token = decode(session, cookie.get(), BrowserToken.SESSION);
        if (token == null || token.getSubject() == null) {
            return Optional.empty();
        }
        RealmModel realm = session.getContext().getRealm();
        UserSessionModel userSession = session.sessions().getUserSession(realm, token.claim("sid"));
        if (userSession == null || !AuthenticationManager.isSessionValid(realm, userSession)) {
            return Optional.empty();
        }
        UserModel user = userSession.getUser();
        if (user == null || !user.isEnabled() || !user.getId().equals(token.getSubject())) {
            return Optional.empty();
        }
        int now = Time.currentTime();
        if (now - userSession.getLastSessionRefresh() > REFRESH_EVERY) {
            userSession.setLastSessionRefresh(now);
        }
        return Optional.of(Caller.withoutToken(user, uiClientId));
    }

    /** A token of the given type, signed by this realm and not expired; else null. */
    static BrowserToken decode(KeycloakSession session, String value, String type) {
        BrowserToken token;
        try {
            token = session.tokens().decode(value, BrowserToken.class);
        } catch (RuntimeException e) {
            return null;
        }
        if (token == null || !type.equals(token.getType()) || !token.isActive()) {
            return null;
        }
        return token;
    }
}
