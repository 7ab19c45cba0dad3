package io.github.mlflowkeycloak.check;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowkeycloak.identity.Caller;
import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.Route;
import org.jboss.logging.Logger;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.util.JsonSerialization;

/**
 * One {@code /check} decision as the audit trail records it: a JSON line at INFO in the category
 * {@value #CATEGORY}, which Keycloak's logging can route to a file or a collector of its own.
 * The facts are gathered as the check learns them; the request's headers and body are hostile,
 * so only bounded, parsed parts of them are written, and never a credential, cookie or query
 * string (where a client may have put a token).
 */
final class AuditRecord {

    static final String CATEGORY = "mlflow-keycloak.audit";
    /** NGINX's $request_id (32 hex digits), which it also sends to MLflow and writes in its access log. */
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    /** The most object ids one record names; a request may name up to max-objects-per-request. */
    static final int MAX_IDS = 20;
    static final int MAX_TEXT = 512;

    private static final Logger AUDIT = Logger.getLogger(CATEGORY);
    private static final Pattern REQUEST_ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");

    private final String realm;
    private String method;
    private String uri;
    private String requestId;
    private Route route;
    private Caller caller;
    private Asked asked;

    AuditRecord(String realm) {
        this.realm = realm;
    }

    /** Whether records are written at all: when not, nothing of them is built. */
    static boolean enabled() {
        return AUDIT.isInfoEnabled();
    }

    void request(String method, String uri, String requestId) {
        this.method = method;
        this.uri = uri;
        this.requestId = requestId;
    }

    void route(Route route) {
        this.route = route;
    }

    void caller(Caller caller) {
        this.caller = caller;
    }

    void asked(Asked asked) {
        this.asked = asked;
    }

    /** What the request's route asks for; null when no route was found. */
    Access access() {
        return route == null ? null : route.access();
    }

    /** @param nanos how long the decision took */
    void write(Decision decision, long nanos) {
        if (enabled()) {
            AUDIT.info(json(decision, nanos));
        }
    }

    String json(Decision decision, long nanos) {
        ObjectNode record = JsonSerialization.mapper.createObjectNode();
        record.put("time", Instant.now().toString());
        record.put("realm", realm);
        if (requestId != null && REQUEST_ID.matcher(requestId).matches()) {
            record.put("request_id", requestId);
        }
        if (caller != null) {
            putCaller(record.putObject("caller"), caller);
        }
        if (method != null) {
            record.put("method", bounded(method));
        }
        if (uri != null) {
            int query = uri.indexOf('?');
            record.put("path", bounded(query < 0 ? uri : uri.substring(0, query)));
        }
        if (route != null) {
            record.put("route", route.operation());
            putAccess(record, route.access());
        }
        if (asked != null) {
            if (asked.workspace() != null) {
                record.put("workspace", asked.workspace());
            }
            putObjects(record, asked);
        }
        record.put("outcome", decision.outcome().auditName());
        record.put("status", decision.response().getStatus());
        record.put("reason", bounded(decision.reason()));
        record.put("decision_ms", nanos / 1000 / 1000.0);
        return record.toString();
    }

    private static void putCaller(ObjectNode node, Caller caller) {
        UserModel user = caller.user();
        node.put("id", user.getId());
        node.put("name", user.getUsername());
        node.put("service_account", user.getServiceAccountClientLink() != null);
        AccessToken token = caller.token();
        if (token.getIssuedFor() != null) {
            node.put("client", token.getIssuedFor());
        }
        if (token.getSessionId() != null) {
            node.put("session", token.getSessionId());
        }
    }

    private static void putAccess(ObjectNode record, Access access) {
        if (access instanceof Access.Scoped scoped) {
            record.put("kind", scoped.kind().resourceName());
            record.put("scope", scoped.scope().scopeName());
        } else {
            record.put("access", access instanceof Access.Public ? "public"
                    : access instanceof Access.GraphQl ? "graphql" : "signed-in");
        }
    }

    /** The ids the request names, per field, the first {@value #MAX_IDS} of them; and how many there were. */
    private static void putObjects(ObjectNode record, Asked asked) {
        ObjectNode objects = record.putObject("objects");
        int count = 0;
        count = putIds(objects, asked.ids(), count);
        count = putIds(objects, asked.references(), count);
        record.put("object_count", count);
        if (count > MAX_IDS) {
            record.put("objects_truncated", true);
        }
    }

    private static int putIds(ObjectNode objects, Map<String, List<String>> fields, int count) {
        for (Map.Entry<String, List<String>> field : fields.entrySet()) {
            ArrayNode values = null;
            for (String value : field.getValue()) {
                if (count < MAX_IDS) {
                    if (values == null) {
                        values = objects.has(field.getKey()) ? (ArrayNode) objects.get(field.getKey()) : objects.putArray(field.getKey());
                    }
                    values.add(bounded(value));
                }
                count++;
            }
        }
        return count;
    }

    private static String bounded(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
