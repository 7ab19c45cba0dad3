package io.github.mlflowkeycloak.browser;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import io.github.mlflowkeycloak.ownership.GatewaySecret;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.utils.OAuth2Code;
import org.keycloak.protocol.oidc.utils.OAuth2CodeParser;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * {@code /realms/{realm}/mlflow/oauth2/{login,callback,logout}}, reached through NGINX on the
 * MLflow host so that the session cookie belongs to that host. Login is the authorization code
 * flow with PKCE, {@code state} and {@code nonce} on the realm's browser client; the callback
 * redeems the code in-process (single use, checked against the client, redirect URI, nonce and
 * PKCE verifier) and sets a cookie that refers to the Keycloak user session. Logout ends that
 * Keycloak session too.
 */
public class BrowserSessionResource {

    private static final Logger LOG = Logger.getLogger(BrowserSessionResource.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long a sign-in may take, from the redirect to Keycloak to the callback. */
    private static final int LOGIN_SECONDS = 600;

    private final KeycloakSession session;
    private final String uiClientId;
    private final GatewaySecret gatewaySecret;

    public BrowserSessionResource(KeycloakSession session, String uiClientId, GatewaySecret gatewaySecret) {
        this.session = session;
        this.uiClientId = uiClientId;
        this.gatewaySecret = gatewaySecret;
    }

    @GET
    @Path("login")
    public Response login(@QueryParam("rd") String returnTo) {
        Optional<GatewayUrl> gateway = gateway();
        if (gateway.isEmpty()) {
            return page(Response.Status.BAD_REQUEST, "Open MLflow through its gateway to sign in.");
        }
        String state = random();
        String nonce = random();
        String verifier = random() + random();
        BrowserToken login = new BrowserToken();
        login.type(BrowserToken.LOGIN);
        login.iat((long) Time.currentTime());
        login.exp((long) Time.currentTime() + LOGIN_SECONDS);
        login.setOtherClaims("state", state);
        login.setOtherClaims("nonce", nonce);
        login.setOtherClaims("verifier", verifier);
        login.setOtherClaims("rd", ReturnPath.of(returnTo));
        String authorize = issuer() + "/protocol/openid-connect/auth"
                + "?client_id=" + encode(uiClientId)
                + "&response_type=code&scope=openid"
                + "&redirect_uri=" + encode(gateway.get().callback())
                + "&state=" + state + "&nonce=" + nonce
                + "&code_challenge=" + challenge(verifier) + "&code_challenge_method=S256";
        return Response.status(Response.Status.FOUND)
                .header(HttpHeaders.LOCATION, authorize)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Set-Cookie", Cookies.set(Cookies.LOGIN, session.tokens().encode(login),
                        gateway.get().loginCookiePath(), gateway.get().isSecure(), LOGIN_SECONDS))
                .build();
    }

    @GET
    @Path("callback")
    public Response callback(@QueryParam("code") String code, @QueryParam("state") String state,
            @QueryParam("error") String error) {
        Optional<GatewayUrl> gateway = gateway();
        if (gateway.isEmpty()) {
            return page(Response.Status.BAD_REQUEST, "Open MLflow through its gateway to sign in.");
        }
        String cookieHeader = session.getContext().getRequestHeaders().getHeaderString(HttpHeaders.COOKIE);
        BrowserToken login = Cookies.read(cookieHeader, Cookies.LOGIN)
                .map(value -> BrowserSessions.decode(session, value, BrowserToken.LOGIN))
                .orElse(null);
        if (login == null || state == null || !constantTimeEquals(state, login.claim("state"))) {
            return page(Response.Status.BAD_REQUEST, "This sign-in link has expired or was not started here.");
        }
        if (error != null || code == null) {
            return page(Response.Status.FORBIDDEN, "Keycloak did not sign you in (" + (error == null ? "no code" : error) + ").");
        }
        RealmModel realm = session.getContext().getRealm();
        OAuth2CodeParser.ParseResult parsed = OAuth2CodeParser.parseCode(session, code, realm,
                new EventBuilder(realm, session, session.getContext().getConnection()));
        if (parsed.isIllegalCode() || parsed.isExpiredCode() || parsed.getClientSession() == null) {
            return page(Response.Status.BAD_REQUEST, "The sign-in code was already used or has expired.");
        }
        OAuth2Code data = parsed.getCodeData();
        ClientModel client = realm.getClientByClientId(uiClientId);
        AuthenticatedClientSessionModel clientSession = parsed.getClientSession();
        if (client == null || !client.getId().equals(data.getClientUUID())
                || !gateway.get().callback().equals(data.getRedirectUriParam())
                || !constantTimeEquals(login.claim("nonce"), data.getNonce())
                || !"S256".equals(data.getCodeChallengeMethod())
                || !constantTimeEquals(challenge(login.claim("verifier")), data.getCodeChallenge())) {
            LOG.warnf("MLflow browser sign-in refused: the code does not match the sign-in started (realm %s)", realm.getName());
            return page(Response.Status.BAD_REQUEST, "The sign-in could not be completed; start again.");
        }
        UserSessionModel userSession = clientSession.getUserSession();
        if (userSession == null || !AuthenticationManager.isSessionValid(realm, userSession)
                || !userSession.getUser().isEnabled()) {
            return page(Response.Status.FORBIDDEN, "Your Keycloak session is not active; start again.");
        }
        BrowserToken cookie = new BrowserToken();
        cookie.type(BrowserToken.SESSION);
        cookie.subject(userSession.getUser().getId());
        cookie.iat((long) Time.currentTime());
        // The cookie lives no longer than the longest Keycloak session; the session decides sooner.
        cookie.exp((long) Time.currentTime() + Math.max(realm.getSsoSessionMaxLifespan(), 60));
        cookie.setOtherClaims("sid", userSession.getId());
        return Response.status(Response.Status.FOUND)
                .header(HttpHeaders.LOCATION, gateway.get().url(login.claim("rd")))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Set-Cookie", Cookies.set(Cookies.SESSION, session.tokens().encode(cookie),
                        gateway.get().cookiePath(), gateway.get().isSecure(), null))
                .header("Set-Cookie", Cookies.clear(Cookies.LOGIN, gateway.get().loginCookiePath(), gateway.get().isSecure()))
                .build();
    }

    /**
     * Ends the MLflow session and the Keycloak session it refers to, and says so on a page of its
     * own: returning to MLflow at once would start a new sign-in in the same breath, which a
     * Keycloak still finishing the session's removal (seen under load) let through unasked.
     */
    @GET
    @Path("logout")
    public Response logout() {
        Optional<GatewayUrl> gateway = gateway();
        if (gateway.isEmpty()) {
            return page(Response.Status.BAD_REQUEST, "Open MLflow through its gateway to sign out.");
        }
        String cookieHeader = session.getContext().getRequestHeaders().getHeaderString(HttpHeaders.COOKIE);
        Cookies.read(cookieHeader, Cookies.SESSION)
                .map(value -> BrowserSessions.decode(session, value, BrowserToken.SESSION))
                .map(token -> session.sessions().getUserSession(session.getContext().getRealm(), token.claim("sid")))
                .ifPresent(userSession -> AuthenticationManager.backchannelLogout(session, userSession, true));
        return Response.fromResponse(page(Response.Status.OK, "You are signed out of MLflow and Keycloak.", gateway.get().url("/")))
                .header("Set-Cookie", Cookies.clear(Cookies.SESSION, gateway.get().cookiePath(), gateway.get().isSecure()))
                .build();
    }

    /** The gateway's public URL, believed only from the gateway: reached directly, these pages have none. */
    private Optional<GatewayUrl> gateway() {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        if (!gatewaySecret.matches(headers.getHeaderString(GatewaySecret.HEADER))) {
            return Optional.empty();
        }
        return GatewayUrl.parse(headers.getHeaderString(GatewayUrl.HEADER));
    }

    private String issuer() {
        return Urls.realmIssuer(session.getContext().getUri().getBaseUri(), session.getContext().getRealm().getName());
    }

    private static Response page(Response.Status status, String message) {
        return page(status, message, "/");
    }

    private static Response page(Response.Status status, String message, String mlflowUrl) {
        String html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>MLflow</title></head><body>"
                + "<p>" + escape(message) + "</p><p><a href=\"" + escape(mlflowUrl) + "\">Back to MLflow</a></p></body></html>";
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").entity(html).build();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
