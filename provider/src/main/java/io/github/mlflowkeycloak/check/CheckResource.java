package io.github.mlflowkeycloak.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.github.mlflowkeycloak.attribution.Authors;
import io.github.mlflowkeycloak.authorization.CallerPermissions;
import io.github.mlflowkeycloak.authorization.FollowedReferences;
import io.github.mlflowkeycloak.authorization.NamespaceMoves;
import io.github.mlflowkeycloak.authorization.ObjectPermissions;
import io.github.mlflowkeycloak.graphql.GraphQlException;
import io.github.mlflowkeycloak.graphql.GraphQlFields;
import io.github.mlflowkeycloak.graphql.UnknownGraphQlFieldException;
import io.github.mlflowkeycloak.identity.Caller;
import io.github.mlflowkeycloak.lookup.MlflowUnavailableException;
import io.github.mlflowkeycloak.ownership.GatewaySecret;
import io.github.mlflowkeycloak.ownership.ObjectEvent;
import io.github.mlflowkeycloak.policy.NamespaceClaims;
import io.github.mlflowkeycloak.request.ArtifactPaths;
import io.github.mlflowkeycloak.request.BadRequestException;
import io.github.mlflowkeycloak.request.JsonBody;
import io.github.mlflowkeycloak.request.MlflowMessages;
import io.github.mlflowkeycloak.request.MlflowRequest;
import io.github.mlflowkeycloak.request.ObjectIds;
import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.RequestPath;
import io.github.mlflowkeycloak.route.Requirement;
import io.github.mlflowkeycloak.route.Route;
import io.github.mlflowkeycloak.route.RouteTable;
import io.github.mlflowkeycloak.version.MlflowRelease;
import io.github.mlflowkeycloak.route.Scope;
import io.github.mlflowkeycloak.search.FilteredGraphQl;
import io.github.mlflowkeycloak.search.FilteredSearch;
import io.github.mlflowkeycloak.search.PageTokens;
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
import org.keycloak.authorization.store.PolicyStore;
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

    private static final String NOT_THROUGH_GATEWAY = "The request did not come through the MLflow gateway.";
    private static final String FILTERED_SEARCH = "filtered search: answered with the objects the caller may read";
    private static final String FILTERED_GRAPHQL = "filtered GraphQL answer: the model versions the caller may read";

    private static final Logger LOG = Logger.getLogger(CheckResource.class);

    private final KeycloakSession session;
    private final CheckSettings settings;
    private final MlflowRelease release;
    private final CallerAuthentication authentication;
    private final ObjectPermissions objects;
    private final FollowedReferences references;
    private final FilteredSearch searches;
    private final FilteredGraphQl graphQlAnswers;
    private final GatewaySecret gatewaySecret;
    private final DecisionMeters meters;

    CheckResource(KeycloakSession session, CheckSettings settings, MlflowRelease release, CallerAuthentication authentication,
            ObjectPermissions objects, FollowedReferences references, FilteredSearch searches, FilteredGraphQl graphQlAnswers,
            GatewaySecret gatewaySecret, DecisionMeters meters) {
        this.session = session;
        this.settings = settings;
        this.release = release;
        this.authentication = authentication;
        this.objects = objects;
        this.references = references;
        this.searches = searches;
        this.graphQlAnswers = graphQlAnswers;
        this.gatewaySecret = gatewaySecret;
        this.meters = meters;
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

    /** Decides, and writes the decision to the audit trail and the metrics: every answer of /check is a decision. */
    private Response check(byte[] body) {
        long started = System.nanoTime();
        AuditRecord audit = new AuditRecord(session.getContext().getRealm().getName());
        Decision decision = decide(body, audit);
        long nanos = System.nanoTime() - started;
        meters.record(decision.outcome(), audit.access(), nanos);
        audit.write(decision, nanos);
        return decision.response();
    }

    private Decision decide(byte[] body, AuditRecord audit) {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        if (!gatewaySecret.matches(headers.getHeaderString(GatewaySecret.HEADER))) {
            // Keycloak's port is public: only the gateway may say what request it asks about, and from where.
            if (!gatewaySecret.isConfigured()) {
                LOG.errorf("refused /check: the SPI option gateway-secret is not set, so no caller can prove to be the gateway");
            }
            return Decision.refused(NOT_THROUGH_GATEWAY);
        }
        String method = headers.getHeaderString(ORIGINAL_METHOD);
        String uri = headers.getHeaderString(ORIGINAL_URI);
        audit.request(method, uri, headers.getHeaderString(AuditRecord.REQUEST_ID_HEADER));
        if (method == null || uri == null) {
            return Decision.refused(NOT_THROUGH_GATEWAY);
        }
        Optional<RouteTable> routes = release.table();
        if (routes.isEmpty()) {
            // Which routes exist, and what each asks, depends on the release: without its table nothing is let through.
            return Decision.unavailable("no route table is in force: " + release.state());
        }
        Optional<String> path = RequestPath.decode(uri).flatMap(settings::withoutStaticPrefix);
        Optional<Route> route = path.flatMap(p -> routes.get().lookup(method, p));
        if (route.isEmpty()) {
            LOG.debugf("no MLflow route for %s %s", method, uri);
            return Decision.refused("No MLflow endpoint is served at this method and path.");
        }
        audit.route(route.get());
        if (route.get().access() instanceof Access.Public) {
            return Decision.allowedAnonymous();
        }

        CallerAuthentication.Result authentication = this.authentication.authenticate(session, headers, method, remoteAddress(headers));
        if (authentication.refusal() != null) {
            return authentication.refusal();
        }
        Caller caller = authentication.caller();
        audit.caller(caller);

        MlflowRequest request = new MlflowRequest(method, uri, name -> headerValues(headers, name), body);
        Asked asked;
        Optional<byte[]> forwarded;
        try {
            ObjectIds.Named named = ObjectIds.readAll(route.get(), path.get(), request,
                    MlflowMessages.of(routes.get().mlflowVersion()));
            Map<String, List<String>> ids = named.ids();
            if (ArtifactPaths.firstUnsafe(ids) != null) {
                return Decision.refused("Artifact paths must be relative paths without '.', '..' or a scheme.");
            }
            Map<String, List<String>> references = named.references();
            Optional<String> serverManagedTag = FollowedReferences.serverManagedTag(route.get(), references);
            if (serverManagedTag.isPresent()) {
                return Decision.refused("The tag '" + serverManagedTag.get() + "' is set by MLflow itself, never by a client.");
            }
            asked = Asked.of(route.get(), request, ids, references, workspace(headers));
            audit.asked(asked);
            requireFewObjects(asked);
            forwarded = Authors.forward(route.get(), request, named, caller.user().getUsername());
        } catch (BadRequestException | GraphQlException e) {
            return badRequest(headers, e.getMessage());
        } catch (UnknownGraphQlFieldException e) {
            return Decision.refused("The GraphQL field '" + e.field() + "' is not served through the gateway.");
        } catch (RuntimeException e) {
            // A reader's bug must not become a 500 for a hostile request: refused, and logged to be fixed.
            LOG.warnf(e, "could not read %s %s", method, uri);
            return badRequest(headers, "The request cannot be read.");
        }
        try {
            Decision decision = decide(asked, caller);
            return forwarded.isPresent() && decision.outcome() == Decision.Outcome.ALLOWED
                    ? decision.forwarding(forwarded.get()) : decision;
        } catch (BadRequestException e) {
            return badRequest(headers, e.getMessage());
        } catch (MlflowUnavailableException e) {
            LOG.errorf("authorization decision for %s %s needs MLflow: %s", method, uri, e.getMessage());
            return Decision.unavailable("MLflow could not be asked: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "authorization decision failed for %s %s", method, uri);
            return Decision.unavailable("the decision failed: " + e.getClass().getName());
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
    private Decision decide(Asked asked, Caller caller) throws BadRequestException, MlflowUnavailableException {
        Optional<CallerPermissions> found = CallerPermissions.of(session, settings.clientId(), caller, asked.workspace());
        if (found.isEmpty()) {
            return Decision.refused("Permission denied: the realm has no MLflow resource server.");
        }
        CallerPermissions permissions = found.get();
        Optional<ResourceKind> filtered = FilteredSearch.filteredKind(asked.route());
        if (filtered.isPresent() && asked.workspace() == null && !permissions.hasOnEvery(filtered.get(), Scope.READ)) {
            return Decision.answered(searches.run(asked.route(), asked.request(), permissions,
                    PageTokens.of(session, permissions.callerId())), FILTERED_SEARCH);
        }
        for (Requirement requirement : asked.required()) {
            // Objects are named by id alone, which workspaces do not scope: in a workspace only kind-wide grants count.
            Map<String, List<String>> ids = asked.workspace() == null ? requirement.ids() : Map.of();
            Optional<Access.Scoped> missing = objects.missing(permissions, requirement.access(), ids);
            if (missing.isPresent()) {
                Optional<KnownObjects.Known> known = KnownObjects.of(session, objects, permissions, missing.get(), ids);
                String denial = known.isPresent() ? DenialMessages.missingScopeOn(missing.get(), settings.clientId(), known.get())
                        : DenialMessages.missingScope(missing.get(), settings.clientId());
                Optional<String> notFound = NotFoundAnswers.message(asked.route(), asked.ids());
                return notFound.isPresent() ? Decision.refusedAsNotFound(denial, notFound.get()) : Decision.refused(denial);
            }
        }
        Optional<Access.Scoped> missingReferenced = references.missing(permissions, asked.route(), asked.references(), asked.ids(),
                asked.workspace() != null);
        if (missingReferenced.isPresent()) {
            return Decision.refused(DenialMessages.missingScope(missingReferenced.get(), settings.clientId()));
        }
        GraphQlFields.Analysis graphQl = asked.graphQl();
        if (graphQl != null && graphQl.modelVersions() && !permissions.hasOnEvery(ResourceKind.REGISTERED_MODEL, Scope.READ)) {
            if (!graphQl.filterable() || asked.workspace() != null) {
                return Decision.refused("Permission denied: the model versions of runs are shown only to callers who read"
                        + " every registered model, or in queries without aliases that select each model version's name.");
            }
            return Decision.answered(graphQlAnswers.run(asked.request().body(), permissions), FILTERED_GRAPHQL);
        }
        String reason = GrantReasons.of(asked.required(), permissions);
        Optional<ObjectEvent> event = ObjectEvent.of(asked.route());
        if (event.isEmpty()) {
            return Decision.allowed(caller, reason);
        }
        if (asked.workspace() != null) {
            // Instance resources are not per workspace, and the workspace a request without the header lands in
            // may be any: a create, rename or delete there would leave Keycloak's record of owners behind.
            return Decision.refused(DenialMessages.IN_A_WORKSPACE);
        }
        JsonBody body = JsonBody.parse(asked.request().body());
        event.get().requireRecordableName(body);
        Optional<String> claimed = anothersNamespace(permissions, asked.route(), event.get().names(body), caller);
        if (claimed.isPresent()) {
            return Decision.refused(claimed.get());
        }
        if (event.get().renames() && asked.route().access() instanceof Access.Scoped renamed) {
            Optional<Access.Scoped> missingToMove = movedBetweenNamespaces(permissions, renamed.kind(), asked.ids(), event.get().names(body));
            if (missingToMove.isPresent()) {
                return Decision.refused(DenialMessages.missingScopeToMove(missingToMove.get()));
            }
        }
        return Decision.allowedAndReported(caller, reason);
    }

    /** @return the refusal of a name (a create's, a rename's) in a namespace that is not the caller's, unless the caller manages the kind */
    private Optional<String> anothersNamespace(CallerPermissions permissions, Route route, List<String> names, Caller caller) {
        if (names.isEmpty() || !(route.access() instanceof Access.Scoped scoped) || permissions.hasOnEvery(scoped.kind(), Scope.MANAGE)) {
            return Optional.empty();
        }
        PolicyStore policies = permissions.authorization().getStoreFactory().getPolicyStore();
        for (String name : names) {
            if (NamespaceClaims.isAnothers(session, policies, permissions.resourceServer(), caller.user(), name)) {
                return Optional.of(DenialMessages.anothersNamespace(scoped.kind(), name));
            }
        }
        return Optional.empty();
    }

    private static Optional<Access.Scoped> movedBetweenNamespaces(CallerPermissions permissions, ResourceKind kind,
            Map<String, List<String>> ids, List<String> newNames) {
        for (List<String> renamed : ids.values()) {
            for (String mlflowId : renamed) {
                Optional<Access.Scoped> missing = NamespaceMoves.missing(permissions, kind, mlflowId, newNames);
                if (missing.isPresent()) {
                    return missing;
                }
            }
        }
        return Optional.empty();
    }

    private Decision badRequest(HttpHeaders headers, String message) {
        return Decision.badRequest(message, "auth_request".equals(headers.getHeaderString(CHECK_VIA)));
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
