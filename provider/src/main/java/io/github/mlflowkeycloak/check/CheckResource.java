package io.github.mlflowkeycloak.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.github.mlflowkeycloak.attribution.Authors;
import io.github.mlflowkeycloak.authorization.CallerPermissions;
import io.github.mlflowkeycloak.authorization.FollowedReferences;
import io.github.mlflowkeycloak.authorization.ObjectPermissions;
import io.github.mlflowkeycloak.browser.BrowserSessions;
import io.github.mlflowkeycloak.browser.CrossSiteRequests;
import io.github.mlflowkeycloak.graphql.GraphQlException;
import io.github.mlflowkeycloak.graphql.GraphQlFields;
import io.github.mlflowkeycloak.graphql.UnknownGraphQlFieldException;
import io.github.mlflowkeycloak.identity.BearerTokenVerifier;
import io.github.mlflowkeycloak.identity.Caller;
import io.github.mlflowkeycloak.identity.Credentials;
import io.github.mlflowkeycloak.identity.ServiceAccountVerifier;
import io.github.mlflowkeycloak.lookup.MlflowUnavailableException;
import io.github.mlflowkeycloak.ownership.GatewaySecret;
import io.github.mlflowkeycloak.ownership.ObjectEvent;
import io.github.mlflowkeycloak.request.ArtifactPaths;
import io.github.mlflowkeycloak.request.BadRequestException;
import io.github.mlflowkeycloak.request.JsonBody;
import io.github.mlflowkeycloak.request.MlflowRequest;
import io.github.mlflowkeycloak.request.ObjectIds;
import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.RequestPath;
import io.github.mlflowkeycloak.route.Requirement;
import io.github.mlflowkeycloak.route.Route;
import io.github.mlflowkeycloak.route.RouteTable;
import io.github.mlflowkeycloak.route.Scope;
import io.github.mlflowkeycloak.search.FilteredGraphQl;
import io.github.mlflowkeycloak.search.FilteredSearch;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;

/**
 * {@code /realms/{realm}/mlflow/check}: NGINX asks it, before proxying a request to MLflow,
 * whether the caller may make that request. It answers 204 (allow, with the caller's identity),
 * 200 marked {@value CheckResponses#FORWARD_HEADER} (allow, with the body MLflow is to receive:
 * the caller named where the client named who did it), 400 (MLflow could read the request as
 * naming other objects than a check would, or it would change who an object records), 401 (no or
 * invalid credentials), 403 (not allowed, or no such MLflow route) or 503 (the decision could not
 * be taken). The request being checked is described by {@value #ORIGINAL_METHOD} and
 * {@value #ORIGINAL_URI}, and, from the njs gate, by the body of a POST to /check.
 */
public class CheckResource {

    static final String ORIGINAL_METHOD = "X-Original-Method";
    static final String ORIGINAL_URI = "X-Original-URI";
    static final String WORKSPACE = "X-MLFLOW-WORKSPACE";
    static final String ORIGINAL_REMOTE_ADDRESS = "X-Original-Remote-Addr";
    /** Set by NGINX's auth_request location, which cannot pass on a 400 as such. */
    static final String CHECK_VIA = "X-MLflow-Check-Via";
    /** MLflow's workspace names: lower-case DNS labels. */
    private static final Pattern WORKSPACE_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private static final Logger LOG = Logger.getLogger(CheckResource.class);

    private final KeycloakSession session;
    private final CheckSettings settings;
    private final RouteTable routes;
    private final BearerTokenVerifier tokens;
    private final ServiceAccountVerifier serviceAccounts;
    private final BrowserSessions browserSessions;
    private final ObjectPermissions objects;
    private final FollowedReferences references;
    private final FilteredSearch searches;
    private final FilteredGraphQl graphQlAnswers;
    private final GatewaySecret gatewaySecret;

    CheckResource(KeycloakSession session, CheckSettings settings, RouteTable routes, BearerTokenVerifier tokens,
            ServiceAccountVerifier serviceAccounts, BrowserSessions browserSessions, ObjectPermissions objects,
            FollowedReferences references, FilteredSearch searches, FilteredGraphQl graphQlAnswers, GatewaySecret gatewaySecret) {
        this.session = session;
        this.settings = settings;
        this.routes = routes;
        this.tokens = tokens;
        this.serviceAccounts = serviceAccounts;
        this.browserSessions = browserSessions;
        this.objects = objects;
        this.references = references;
        this.searches = searches;
        this.graphQlAnswers = graphQlAnswers;
        this.gatewaySecret = gatewaySecret;
    }

    @GET
    public Response checkGet() {
        return check(null);
    }

    @HEAD
    public Response checkHead() {
        return check(null);
    }

    /** The njs gate posts the original body here, whatever the original method. */
    @POST
    public Response checkPost(byte[] body) {
        return check(body);
    }

    @PUT
    public Response checkPut() {
        return check(null);
    }

    @PATCH
    public Response checkPatch() {
        return check(null);
    }

    @DELETE
    public Response checkDelete() {
        return check(null);
    }

    @OPTIONS
    public Response checkOptions() {
        return check(null);
    }

    private Response check(byte[] body) {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        if (!gatewaySecret.matches(headers.getHeaderString(GatewaySecret.HEADER))) {
            // Keycloak's port is public: only the gateway may say what request it asks about, and from where.
            if (!gatewaySecret.isConfigured()) {
                LOG.errorf("refused /check: the SPI option gateway-secret is not set, so no caller can prove to be the gateway");
            }
            return CheckResponses.forbidden("The request did not come through the MLflow gateway.");
        }
        String method = headers.getHeaderString(ORIGINAL_METHOD);
        String uri = headers.getHeaderString(ORIGINAL_URI);
        if (method == null || uri == null) {
            return CheckResponses.forbidden("The request did not come through the MLflow gateway.");
        }
        Optional<String> path = RequestPath.decode(uri).flatMap(settings::withoutStaticPrefix);
        Optional<Route> route = path.flatMap(p -> routes.lookup(method, p));
        if (route.isEmpty()) {
            LOG.debugf("no MLflow route for %s %s", method, uri);
            return CheckResponses.forbidden("No MLflow endpoint is served at this method and path.");
        }
        if (route.get().access() instanceof Access.Public) {
            return CheckResponses.allowAnonymous();
        }

        Authentication authentication = authenticate(headers, method);
        if (authentication.refusal() != null) {
            return authentication.refusal();
        }
        Caller caller = authentication.caller();

        MlflowRequest request = new MlflowRequest(method, uri, name -> headerValues(headers, name), body);
        Asked asked;
        Optional<byte[]> forwarded;
        try {
            ObjectIds.Named named = ObjectIds.readAll(route.get(), path.get(), request);
            Map<String, List<String>> ids = named.ids();
            if (ArtifactPaths.firstUnsafe(ids) != null) {
                return CheckResponses.forbidden("Artifact paths must be relative paths without '.', '..' or a scheme.");
            }
            Map<String, List<String>> references = named.references();
            Optional<String> serverManagedTag = FollowedReferences.serverManagedTag(route.get(), references);
            if (serverManagedTag.isPresent()) {
                return CheckResponses.forbidden("The tag '" + serverManagedTag.get() + "' is set by MLflow itself, never by a client.");
            }
            asked = Asked.of(route.get(), request, ids, references, workspace(headers));
            requireFewObjects(asked);
            forwarded = Authors.forward(route.get(), request, named, caller.user().getUsername());
        } catch (BadRequestException | GraphQlException e) {
            return badRequest(headers, e.getMessage());
        } catch (UnknownGraphQlFieldException e) {
            return CheckResponses.forbidden("The GraphQL field '" + e.field() + "' is not served through the gateway.");
        } catch (RuntimeException e) {
            // A reader's bug must not become a 500 for a hostile request: refused, and logged to be fixed.
            LOG.warnf(e, "could not read %s %s", method, uri);
            return badRequest(headers, "The request cannot be read.");
        }
        try {
            Response decision = decide(asked, caller);
            return forwarded.isPresent() && decision.getStatus() == Response.Status.NO_CONTENT.getStatusCode()
                    ? CheckResponses.forward(decision, forwarded.get()) : decision;
        } catch (BadRequestException e) {
            return badRequest(headers, e.getMessage());
        } catch (MlflowUnavailableException e) {
            LOG.errorf("authorization decision for %s %s needs MLflow: %s", method, uri, e.getMessage());
            return CheckResponses.unavailable("The authorization decision could not be taken; try again later.");
        } catch (RuntimeException e) {
            LOG.errorf(e, "authorization decision failed for %s %s", method, uri);
            return CheckResponses.unavailable("The authorization decision could not be taken; try again later.");
        }
    }

    /** Bounds the work one request can ask for: every object it names may cost a lookup and an evaluation. */
    private void requireFewObjects(Asked asked) throws BadRequestException {
        if (asked.objectCount() > settings.maxObjectsPerRequest()) {
            throw new BadRequestException("The request names more than " + settings.maxObjectsPerRequest()
                    + " distinct objects; split it into smaller requests.");
        }
    }

    /** The answer for a caller: allowed, refused, or answered here (a filtered search or GraphQL answer). */
    private Response decide(Asked asked, Caller caller) throws BadRequestException, MlflowUnavailableException {
        Optional<CallerPermissions> found = CallerPermissions.of(session, settings.clientId(), caller, asked.workspace());
        if (found.isEmpty()) {
            return CheckResponses.forbidden("Permission denied: the realm has no MLflow resource server.");
        }
        CallerPermissions permissions = found.get();
        Optional<ResourceKind> filtered = FilteredSearch.filteredKind(asked.route());
        if (filtered.isPresent() && asked.workspace() == null && !permissions.hasOnEvery(filtered.get(), Scope.READ)) {
            return CheckResponses.answer(searches.run(asked.route(), asked.request(), permissions));
        }
        for (Requirement requirement : asked.required()) {
            // Objects are named by id alone, which workspaces do not scope: in a workspace only kind-wide grants count.
            Optional<Access.Scoped> missing = objects.missing(permissions, requirement.access(),
                    asked.workspace() == null ? requirement.ids() : Map.of());
            if (missing.isPresent()) {
                Optional<String> notFound = NotFoundAnswers.message(asked.route(), asked.ids());
                return notFound.isPresent() ? CheckResponses.notFound(notFound.get()) : CheckResponses.forbidden(DenialMessages.missingScope(missing.get(), settings.clientId()));
            }
        }
        Optional<Access.Scoped> missingReferenced = references.missing(permissions, asked.route(), asked.references(), asked.ids(),
                asked.workspace() != null);
        if (missingReferenced.isPresent()) {
            return CheckResponses.forbidden(DenialMessages.missingScope(missingReferenced.get(), settings.clientId()));
        }
        GraphQlFields.Analysis graphQl = asked.graphQl();
        if (graphQl != null && graphQl.modelVersions() && !permissions.hasOnEvery(ResourceKind.REGISTERED_MODEL, Scope.READ)) {
            if (!graphQl.filterable() || asked.workspace() != null) {
                return CheckResponses.forbidden("Permission denied: the model versions of runs are shown only to callers who read"
                        + " every registered model, or in queries without aliases that select each model version's name.");
            }
            return CheckResponses.answer(graphQlAnswers.run(asked.request().body(), permissions));
        }
        Optional<ObjectEvent> event = ObjectEvent.of(asked.route());
        if (event.isEmpty() || asked.workspace() != null) {
            // Model names are per workspace, instance resources are not: in a workspace, nothing is recorded.
            return CheckResponses.allow(caller);
        }
        event.get().requireRecordableName(JsonBody.parse(asked.request().body()));
        return CheckResponses.allowAndReport(caller);
    }

    private Response badRequest(HttpHeaders headers, String message) {
        return CheckResponses.badRequest(message, "auth_request".equals(headers.getHeaderString(CHECK_VIA)));
    }

    /** Who the caller is, or the 401 or 403 that says why the gateway cannot tell. */
    private record Authentication(Caller caller, Response refusal) {

        static Authentication of(Caller caller) {
            return new Authentication(caller, null);
        }

        static Authentication refused(Response refusal) {
            return new Authentication(null, refusal);
        }
    }

    /**
     * A bearer token; else a service account's client id and secret over Basic; else, with no
     * Authorization header, the browser session cookie, which may change things only from the
     * MLflow host's own pages.
     */
    private Authentication authenticate(HttpHeaders headers, String method) {
        String realm = session.getContext().getRealm().getName();
        Credentials credentials = Credentials.fromAuthorizationHeader(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (credentials instanceof Credentials.Bearer bearer) {
            return tokens.verify(session, bearer.token()).map(Authentication::of).orElseGet(() -> Authentication.refused(
                    CheckResponses.unauthenticated(realm, "invalid_token", "The access token is invalid, expired, or not meant for MLflow.")));
        }
        if (credentials instanceof Credentials.Basic basic) {
            ServiceAccountVerifier.Result result = serviceAccounts.verify(session, basic, remoteAddress(headers));
            if (result instanceof ServiceAccountVerifier.Result.SignedIn signedIn) {
                return Authentication.of(signedIn.caller());
            }
            String message = result instanceof ServiceAccountVerifier.Result.Blocked blocked
                    ? "Too many failed sign-ins of client '" + basic.clientId() + "' from this address; try again in "
                            + blocked.retryAfterSeconds() + " s."
                    : "Invalid client id or secret, or the client has no service account.";
            return Authentication.refused(CheckResponses.unauthenticated(realm, "invalid_token", message));
        }
        if (credentials instanceof Credentials.None) {
            Optional<Caller> browser = browserSessions.verify(session, headers.getHeaderString(HttpHeaders.COOKIE));
            if (browser.isEmpty()) {
                return Authentication.refused(CheckResponses.unauthenticated(realm, null, "Authentication required: sign in, or send"
                        + " an access token as 'Authorization: Bearer <token>' or a service account's client id and secret as HTTP Basic credentials."));
            }
            // A cookie is the one credential a browser adds by itself: only the MLflow host's own pages may use it to change things.
            if (!CrossSiteRequests.isAllowed(method, headers.getHeaderString(CrossSiteRequests.GATEWAY_URL_HEADER),
                    headers.getHeaderString("Origin"), headers.getHeaderString("Sec-Fetch-Site"))) {
                return Authentication.refused(CheckResponses.forbidden("Cross-site request refused: a request signed in by the"
                        + " MLflow session cookie must come from MLflow's own pages."));
            }
            return Authentication.of(browser.get());
        }
        return Authentication.refused(CheckResponses.unauthenticated(realm, "invalid_request",
                "The Authorization header must be 'Bearer <access token>' or 'Basic <client id:secret>'."));
    }

    /** Where the request came from, as NGINX saw it; else the connection's peer. */
    private String remoteAddress(HttpHeaders headers) {
        String address = headers.getHeaderString(ORIGINAL_REMOTE_ADDRESS);
        return address == null || address.isEmpty() ? session.getContext().getConnection().getRemoteAddr() : address;
    }

    /** MLflow's workspace header, when the request names one. */
    private static String workspace(HttpHeaders headers) throws BadRequestException {
        List<String> values = headerValues(headers, WORKSPACE);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1 || !WORKSPACE_NAME.matcher(values.get(0)).matches()) {
            throw new BadRequestException("X-MLFLOW-WORKSPACE must be one workspace name.");
        }
        return values.get(0);
    }

    private static List<String> headerValues(HttpHeaders headers, String name) {
        List<String> values = headers.getRequestHeader(name);
        if (values == null) {
            return List.of();
        }
        List<String> split = new ArrayList<>();
        for (String value : values) {
            // NGINX sends an absent header as an empty one.
            if (!value.isEmpty()) {
                split.add(value);
            }
        }
        return split;
    }
}
