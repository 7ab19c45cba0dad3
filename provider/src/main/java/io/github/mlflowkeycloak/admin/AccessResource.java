package io.github.mlflowkeycloak.admin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowkeycloak.authorization.InstanceResources;
import io.github.mlflowkeycloak.authorization.MlflowResourceServer;
import io.github.mlflowkeycloak.lookup.MlflowUnavailableException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code /admin/realms/{realm}/mlflow/objects/…}: owners, grants and their explanation for one
 * experiment or registered model, named by its id or its MLflow name. Reading needs what
 * Keycloak asks to read the MLflow client's authorization settings ({@code view-authorization}),
 * changing what it asks to change them ({@code manage-authorization}), fine-grained admin
 * permissions included; every change is an admin event (Keycloak's resource types, so that the
 * console's filter finds them: a grant is an authorization policy, an owner an authorization
 * resource; the path says what changed).
 */
public final class AccessResource {


    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(AccessResource.class);
    private static final Set<String> GRANTABLE = Set.of("read", "update", "delete", "manage");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;
    private final String clientId;
    private final MlflowObjects objects;

    AccessResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent,
            String clientId, MlflowObjects objects) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
        this.clientId = clientId;
        this.objects = objects;
    }

    @GET
    @Path("objects/{kind}")
    public Response findByName(@PathParam("kind") String kind, @QueryParam("name") String name) {
        return answer(false, server -> objectJson(server, objects.byName(MlflowObjects.kind(kind), name)));
    }

    @GET
    @Path("objects/{kind}/{id: .+}")
    public Response find(@PathParam("kind") String kind, @PathParam("id") String id) {
        return answer(false, server -> objectJson(server, objects.byId(MlflowObjects.kind(kind), id)));
    }

    @PUT
    @Path("objects/{kind}/{id: .+}/owner")
    public Response setOwner(@PathParam("kind") String kind, @PathParam("id") String id, byte[] body) {
        return answer(true, server -> {
            JsonNode request = object(body);
            JsonNode username = request.path("username");
            if (!username.isTextual() || username.textValue().isBlank()) {
                throw AdminException.badRequest("'username' must name a user.");
            }
            JsonNode onlyIfNone = request.path("onlyIfNone");
            if (!onlyIfNone.isMissingNode() && !onlyIfNone.isBoolean()) {
                throw AdminException.badRequest("'onlyIfNone' must be true or false.");
            }
            UserModel user = session.users().getUserByUsername(realm, username.textValue());
            if (user == null) {
                throw AdminException.notFound("The realm has no user '" + username.textValue() + "'.");
            }
            MlflowObject object = objects.byId(MlflowObjects.kind(kind), id);
            Optional<Resource> resource = server.resource(object);
            String current = resource.map(server::owner).orElse(null);
            boolean change = resource.isEmpty() || !resource.get().getOwner().equals(user.getId())
                    && (current == null || !onlyIfNone.asBoolean(false));
            if (change) {
                server.reown(object, user.getId());
                adminEvent.operation(OperationType.UPDATE).resource(ResourceType.AUTHORIZATION_RESOURCE).resourcePath(session.getContext().getUri())
                        .representation(Map.of("kind", kind, "id", object.id(), "name", object.name(), "owner", user.getUsername(),
                                "previousOwner", current == null ? "" : current))
                        .success();
            }
            Map<String, Object> json = objectJson(server, object);
            json.put("changed", change);
            return json;
        });
    }

    @GET
    @Path("objects/{kind}/{id: .+}/grants")
    public Response grants(@PathParam("kind") String kind, @PathParam("id") String id) {
        return answer(false, server -> {
            MlflowObject object = objects.byId(MlflowObjects.kind(kind), id);
            return server.resource(object).map(server::grantsJson).orElse(List.of());
        });
    }

    @PUT
    @Path("objects/{kind}/{id: .+}/grants/{type}/{name: .+}")
    public Response grant(@PathParam("kind") String kind, @PathParam("id") String id, @PathParam("type") String type,
            @PathParam("name") String name, byte[] body) {
        return answer(true, server -> {
            Set<String> scopes = scopes(object(body).path("scopes"));
            return server.setGrant(objects.byId(MlflowObjects.kind(kind), id), Principal.find(session, realm, type, name), scopes);
        });
    }

    @DELETE
    @Path("objects/{kind}/{id: .+}/grants/{type}/{name: .+}")
    public Response revoke(@PathParam("kind") String kind, @PathParam("id") String id, @PathParam("type") String type,
            @PathParam("name") String name) {
        return answer(true, server -> server.setGrant(objects.byId(MlflowObjects.kind(kind), id),
                Principal.find(session, realm, type, name), Set.of()));
    }

    @GET
    @Path("objects/{kind}/{id: .+}/explain")
    public Response explain(@PathParam("kind") String kind, @PathParam("id") String id, @QueryParam("user") String username) {
        return answer(false, server -> {
            UserModel user = null;
            if (username != null) {
                user = username.isBlank() ? null : session.users().getUserByUsername(realm, username);
                if (user == null) {
                    throw AdminException.notFound("The realm has no user '" + username + "'.");
                }
            }
            MlflowObject object = objects.byId(MlflowObjects.kind(kind), id);
            Map<String, Object> json = objectJson(server, object);
            Optional<Resource> resource = server.resource(object);
            if (user == null) {
                json.put("access", server.explanation.forObject(object, resource));
                json.put("grants", resource.map(server::grantsJson).orElse(List.of()));
            } else {
                json.put("user", user.getUsername());
                json.put("scopes", server.explanation.forUser(object, resource, user));
            }
            return json;
        });
    }

    /** What an endpoint computes, on the realm's MLflow resource server. */
    @FunctionalInterface
    private interface Answer {
        Object on(Server server) throws AdminException, MlflowUnavailableException;
    }

    /** Checks the caller's admin permission, then answers; every refusal is JSON, bad input never a 5xx. */
    private Response answer(boolean changes, Answer answer) {
        Optional<ResourceServer> resourceServer = MlflowResourceServer.of(session, clientId);
        if (resourceServer.isEmpty()) {
            return auth.realm().canViewRealm()
                    ? AdminAnswers.error(Response.Status.NOT_FOUND, "The realm has no MLflow client with authorization services.")
                    : forbidden();
        }
        boolean allowed = changes ? auth.realm().canManageAuthorization(resourceServer.get())
                : auth.realm().canViewAuthorization(resourceServer.get());
        if (!allowed) {
            return forbidden();
        }
        try {
            return AdminAnswers.ok(answer.on(new Server(resourceServer.get())));
        } catch (AdminException e) {
            return AdminAnswers.error(e.status(), e.getMessage());
        } catch (MlflowUnavailableException e) {
            LOG.warnf("the MLflow admin API could not ask MLflow: %s", e.getMessage());
            return AdminAnswers.error(Response.Status.SERVICE_UNAVAILABLE, "MLflow cannot be reached; try again.");
        } catch (ModelDuplicateException e) {
            return AdminAnswers.error(Response.Status.CONFLICT, "A policy or permission of that name exists already: " + e.getMessage());
        }
    }

    private Response forbidden() {
        return AdminAnswers.error(Response.Status.FORBIDDEN,
                "This needs the realm-management role view-authorization (to read) or manage-authorization (to change), "
                        + "or the fine-grained admin permission for the client '" + clientId + "'.");
    }

    private static JsonNode object(byte[] body) throws AdminException {
        try {
            JsonNode json = body == null || body.length == 0 ? null : JSON.readTree(body);
            if (json == null || !json.isObject()) {
                throw AdminException.badRequest("The body must be a JSON object.");
            }
            return json;
        } catch (IOException e) {
            throw AdminException.badRequest("The body is not JSON.");
        }
    }

    /** {@code ["read", …]}, each among read, update, delete and manage. */
    static Set<String> scopes(JsonNode scopes) throws AdminException {
        if (!scopes.isArray()) {
            throw AdminException.badRequest("'scopes' must be a list of read, update, delete, manage (empty: revoke).");
        }
        Set<String> names = new TreeSet<>();
        for (JsonNode scope : scopes) {
            if (!scope.isTextual() || !GRANTABLE.contains(scope.textValue())) {
                throw AdminException.badRequest("A grant's scopes are among read, update, delete and manage.");
            }
            names.add(scope.textValue());
        }
        return names;
    }

    /** The MLflow resource server, for the span of one request. */
    private final class Server {

        private final ResourceServer resourceServer;
        private final AuthorizationProvider authorization;
        private final Grants grants;
        private final Explanation explanation;

        Server(ResourceServer resourceServer) {
            this.resourceServer = resourceServer;
            this.authorization = session.getProvider(AuthorizationProvider.class);
            this.grants = new Grants(session, authorization, resourceServer);
            this.explanation = new Explanation(session, authorization, resourceServer, grants);
        }

        Optional<Resource> resource(MlflowObject object) {
            return InstanceResources.find(authorization, resourceServer, object.kind(), object.id());
        }

        /** The owner's username; null when the resource server owns it (no one does). */
        String owner(Resource resource) {
            return Shares.username(session, realm, resource.getOwner());
        }

        /**
         * Makes the user the owner. Keycloak cannot change a resource's owner, so the resource is made
         * anew: the previous owner's shares go (they were theirs to give), admin grants are kept.
         */
        void reown(MlflowObject object, String userId) {
            Optional<Resource> before = resource(object);
            List<Grants.Grant> kept = before.map(grants::on).orElse(List.of());
            boolean deleted = before.map(InstanceResources::isDeleted).orElse(false);
            kept.forEach(grants::remove);
            Resource resource = InstanceResources.create(authorization, resourceServer, object.kind(), object.id(), object.name(), userId);
            if (deleted) {
                InstanceResources.markDeleted(authorization, resourceServer, object.id(), true);
            }
            for (Grants.Grant grant : kept) {
                grants.set(object, resource, grant.principal(), grant.scopes());
            }
        }

        Object setGrant(MlflowObject object, Principal principal, Set<String> scopes) {
            Optional<Resource> existing = resource(object);
            if (existing.isEmpty() && scopes.isEmpty()) {
                return revoked(object, principal);
            }
            // An object with no resource yet (made before the gateway) gets one that no one owns.
            Resource resource = existing.orElseGet(() -> InstanceResources.create(authorization, resourceServer, object.kind(),
                    object.id(), object.name(), resourceServer.getClientId()));
            boolean had = grants.of(resource, principal).isPresent();
            Optional<Grants.Grant> grant = grants.set(object, resource, principal, scopes);
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("kind", object.kind().resourceName());
            event.put("id", object.id());
            event.put("name", object.name());
            event.put("principal", principal.json());
            event.put("scopes", List.copyOf(scopes));
            if (grant.isPresent() || had) {
                adminEvent.operation(grant.isEmpty() ? OperationType.DELETE : had ? OperationType.UPDATE : OperationType.CREATE)
                        .resource(ResourceType.AUTHORIZATION_POLICY).resourcePath(session.getContext().getUri()).representation(event).success();
            }
            return grant.<Object>map(Grants.Grant::json).orElseGet(() -> revoked(object, principal));
        }

        private Map<String, Object> revoked(MlflowObject object, Principal principal) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("principal", principal.json());
            json.put("scopes", List.of());
            json.put("via", "grant");
            return json;
        }

        List<Map<String, Object>> grantsJson(Resource resource) {
            List<Map<String, Object>> json = new ArrayList<>();
            grants.on(resource).forEach(grant -> json.add(grant.json()));
            Shares.of(session, authorization, resourceServer, resource).forEach(share -> json.add(share.json()));
            return json;
        }
    }

    private Map<String, Object> objectJson(Server server, MlflowObject object) {
        Optional<Resource> resource = server.resource(object);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", object.kind().resourceName());
        json.put("id", object.id());
        json.put("name", object.name());
        json.put("resource", resource.map(Resource::getId).orElse(null));
        json.put("owner", resource.map(server::owner).orElse(null));
        return json;
    }
}
