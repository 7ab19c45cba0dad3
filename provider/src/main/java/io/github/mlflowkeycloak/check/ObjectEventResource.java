package io.github.mlflowkeycloak.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowkeycloak.authorization.InstanceResources;
import io.github.mlflowkeycloak.authorization.MlflowResourceServer;
import io.github.mlflowkeycloak.metrics.MlflowMetrics;
import io.github.mlflowkeycloak.ownership.GatewaySecret;
import io.github.mlflowkeycloak.ownership.ObjectEvent;
import io.github.mlflowkeycloak.request.BadRequestException;
import io.github.mlflowkeycloak.request.JsonBody;
import io.github.mlflowkeycloak.route.RequestPath;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.Route;
import io.github.mlflowkeycloak.route.RouteTable;
import io.github.mlflowkeycloak.version.MlflowRelease;
import io.micrometer.core.instrument.Counter;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;

/**
 * {@code /realms/{realm}/mlflow/object-events}: the gateway reports here an MLflow request that
 * MLflow answered with success and that changes what Keycloak must know ({@link ObjectEvent}):
 * the creator becomes the owner of the new experiment or model; a renamed one keeps its
 * resource under the new name; a deleted model's resource goes, a deleted experiment's is marked
 * deleted until it is restored. Only the gateway may report: it proves itself with
 * the shared secret. The body is {@code {"request": <the request body>, "response": <MLflow's
 * answer>}}, both as text; the creator is the user /check named.
 */
public class ObjectEventResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(ObjectEventResource.class);
    /** Per event: reports applied, and reports that could not be. */
    private static final Map<ObjectEvent, Counter> APPLIED = counters("applied");
    private static final Map<ObjectEvent, Counter> FAILED = counters("failed");

    private final KeycloakSession session;
    private final GatewaySecret secret;
    private final MlflowRelease release;
    private final CheckSettings settings;

    ObjectEventResource(KeycloakSession session, GatewaySecret secret, MlflowRelease release, CheckSettings settings) {
        this.session = session;
        this.secret = secret;
        this.release = release;
        this.settings = settings;
    }

    @POST
    public Response report(byte[] body) {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        if (!secret.matches(headers.getHeaderString(GatewaySecret.HEADER))) {
            LOG.warnf("refused an MLflow object event from %s without the gateway secret%s",
                    session.getContext().getConnection().getRemoteAddr(),
                    secret.isConfigured() ? "" : " (no gateway-secret is configured)");
            return CheckResponses.forbidden("Only the MLflow gateway reports MLflow's answers.");
        }
        String method = headers.getHeaderString(CheckResource.ORIGINAL_METHOD);
        String uri = headers.getHeaderString(CheckResource.ORIGINAL_URI);
        Optional<RouteTable> routes = release.table();
        if (routes.isEmpty()) {
            LOG.warnf("an MLflow object event was not applied: no route table is in force (%s)", release.state());
            return CheckResponses.unavailable("No MLflow route table is in force; try again later.");
        }
        Optional<Route> route = method == null || uri == null ? Optional.empty()
                : RequestPath.decode(uri).flatMap(settings::withoutStaticPrefix).flatMap(path -> routes.get().lookup(method, path));
        Optional<ObjectEvent> event = route.flatMap(ObjectEvent::of);
        if (event.isEmpty()) {
            return CheckResponses.badRequest("No MLflow object event is reported for this request.", false);
        }
        UserModel user = userOf(headers.getHeaderString(CheckResponses.USER_ID_HEADER));
        Optional<ResourceServer> resourceServer = MlflowResourceServer.of(session, settings.clientId());
        if (resourceServer.isEmpty()) {
            return CheckResponses.unavailable("The realm has no MLflow resource server.");
        }
        try {
            JsonNode report = JSON.readTree(body);
            JsonBody request = JsonBody.parse(text(report, "request").getBytes(StandardCharsets.UTF_8));
            JsonNode response = JSON.readTree(text(report, "response"));
            apply(event.get(), request, response, user, resourceServer.get());
            APPLIED.get(event.get()).increment();
        } catch (IOException | BadRequestException | IllegalArgumentException e) {
            FAILED.get(event.get()).increment();
            LOG.warnf("could not apply the MLflow object event of %s %s: %s", method, uri, e.getMessage());
            return CheckResponses.badRequest("The report cannot be read: " + e.getMessage(), false);
        }
        return Response.noContent().build();
    }

    private static Map<ObjectEvent, Counter> counters(String result) {
        Map<ObjectEvent, Counter> counters = new EnumMap<>(ObjectEvent.class);
        for (ObjectEvent event : ObjectEvent.values()) {
            counters.put(event, MlflowMetrics.counter(MlflowMetrics.OBJECT_EVENTS, "event", MlflowMetrics.tag(event), "result", result));
        }
        return counters;
    }

    private void apply(ObjectEvent event, JsonBody request, JsonNode response, UserModel user, ResourceServer resourceServer)
            throws BadRequestException {
        AuthorizationProvider authorization = session.getProvider(AuthorizationProvider.class);
        switch (event) {
            case EXPERIMENT_CREATED -> InstanceResources.create(authorization, resourceServer, ResourceKind.EXPERIMENT,
                    required(response.path("experiment_id")), one(request, "name"), owner(user));
            case REGISTERED_MODEL_CREATED -> {
                String name = required(response.path("registered_model").path("name"));
                InstanceResources.create(authorization, resourceServer, ResourceKind.REGISTERED_MODEL, name, name, owner(user));
            }
            case REGISTERED_MODEL_RENAMED -> InstanceResources.renameModel(authorization, resourceServer,
                    one(request, "name"), required(response.path("registered_model").path("name")));
            case REGISTERED_MODEL_DELETED -> InstanceResources.remove(authorization, resourceServer, ResourceKind.REGISTERED_MODEL,
                    one(request, "name"));
            case EXPERIMENT_RENAMED -> InstanceResources.renameExperiment(authorization, resourceServer,
                    one(request, "experiment_id"), one(request, "new_name"));
            case EXPERIMENT_DELETED -> InstanceResources.markDeleted(authorization, resourceServer, one(request, "experiment_id"), true);
            case EXPERIMENT_RESTORED -> InstanceResources.markDeleted(authorization, resourceServer, one(request, "experiment_id"), false);
        }
    }

    private UserModel userOf(String userId) {
        return userId == null || userId.isEmpty() ? null
                : session.users().getUserById(session.getContext().getRealm(), userId);
    }

    private static String owner(UserModel user) {
        if (user == null) {
            throw new IllegalArgumentException("the creator is not a user of this realm");
        }
        return user.getId();
    }

    private static String one(JsonBody request, String field) throws BadRequestException {
        List<String> values = request.values(field);
        if (values.size() != 1 || values.get(0).isEmpty()) {
            throw new BadRequestException("the request has no '" + field + "'");
        }
        return values.get(0);
    }

    private static String required(JsonNode value) {
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw new IllegalArgumentException("MLflow's answer does not name the object");
        }
        return value.textValue();
    }

    private static String text(JsonNode report, String field) {
        JsonNode value = report.path(field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be text");
        }
        return value.textValue();
    }
}
