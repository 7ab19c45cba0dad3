package io.github.mlflowkeycloak.check;

import java.util.Optional;

import io.github.mlflowkeycloak.authorization.ScopeDecider;
import io.github.mlflowkeycloak.identity.BearerTokenVerifier;
import io.github.mlflowkeycloak.identity.Caller;
import io.github.mlflowkeycloak.identity.Credentials;
import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.RequestPath;
import io.github.mlflowkeycloak.route.Route;
import io.github.mlflowkeycloak.route.RouteTable;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;

/**
 * {@code /realms/{realm}/mlflow/check}: NGINX asks it, before proxying a request to MLflow,
 * whether the caller may make that request. It answers 204 (allow, with the caller's identity),
 * 401 (no or invalid credentials), 403 (not allowed, or no such MLflow route) or 503 (the
 * decision could not be taken). The method used to call it does not matter: the request being
 * checked is described by {@value #ORIGINAL_METHOD} and {@value #ORIGINAL_URI}.
 */
public class CheckResource {

    static final String ORIGINAL_METHOD = "X-Original-Method";
    static final String ORIGINAL_URI = "X-Original-URI";

    private static final Logger LOG = Logger.getLogger(CheckResource.class);

    private final KeycloakSession session;
    private final RouteTable routes;
    private final BearerTokenVerifier tokens;
    private final ScopeDecider decider;

    CheckResource(KeycloakSession session, RouteTable routes, BearerTokenVerifier tokens, ScopeDecider decider) {
        this.session = session;
        this.routes = routes;
        this.tokens = tokens;
        this.decider = decider;
    }

    @GET
    @Path("check")
    public Response checkGet() {
        return check();
    }

    @HEAD
    @Path("check")
    public Response checkHead() {
        return check();
    }

    @POST
    @Path("check")
    public Response checkPost() {
        return check();
    }

    @PUT
    @Path("check")
    public Response checkPut() {
        return check();
    }

    @PATCH
    @Path("check")
    public Response checkPatch() {
        return check();
    }

    @DELETE
    @Path("check")
    public Response checkDelete() {
        return check();
    }

    @OPTIONS
    @Path("check")
    public Response checkOptions() {
        return check();
    }

    private Response check() {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        String method = headers.getHeaderString(ORIGINAL_METHOD);
        String uri = headers.getHeaderString(ORIGINAL_URI);
        if (method == null || uri == null) {
            return CheckResponses.forbidden("The request did not come through the MLflow gateway.");
        }
        Optional<Route> route = RequestPath.decode(uri).flatMap(path -> routes.lookup(method, path));
        if (route.isEmpty()) {
            LOG.debugf("no MLflow route for %s %s", method, uri);
            return CheckResponses.forbidden("No MLflow endpoint is served at this method and path.");
        }
        Access access = route.get().access();
        if (access instanceof Access.Public) {
            return CheckResponses.allowAnonymous();
        }

        String realm = session.getContext().getRealm().getName();
        Credentials credentials = Credentials.fromAuthorizationHeader(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (credentials.kind() == Credentials.Kind.NONE) {
            return CheckResponses.unauthenticated(realm, null, "Authentication required: send an access token as 'Authorization: Bearer <token>'.");
        }
        if (credentials.kind() == Credentials.Kind.UNSUPPORTED) {
            return CheckResponses.unauthenticated(realm, "invalid_request", "The Authorization header must be 'Bearer <access token>'.");
        }
        Optional<Caller> caller = tokens.verify(session, credentials.token());
        if (caller.isEmpty()) {
            return CheckResponses.unauthenticated(realm, "invalid_token", "The access token is invalid, expired, or not meant for MLflow.");
        }
        if (access instanceof Access.Scoped scoped) {
            boolean granted;
            try {
                granted = decider.isGranted(session, caller.get(), scoped.kind(), scoped.scope());
            } catch (RuntimeException e) {
                LOG.errorf(e, "authorization decision failed for %s %s", method, uri);
                return CheckResponses.unavailable("The authorization decision could not be taken; try again later.");
            }
            if (!granted) {
                return CheckResponses.forbidden("Permission denied: this needs the '" + scoped.scope().scopeName()
                        + "' scope on " + scoped.kind().resourceName() + " objects.");
            }
        }
        return CheckResponses.allow(caller.get());
    }
}
