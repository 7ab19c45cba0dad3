package io.github.mlflowkeycloak.authorization;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.mlflowkeycloak.identity.Caller;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.Scope;
import org.jboss.logging.Logger;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.common.DefaultEvaluationContext;
import org.keycloak.authorization.common.KeycloakIdentity;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.authorization.permission.ResourcePermission;
import org.keycloak.authorization.policy.evaluation.EvaluationContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.representations.idm.authorization.AuthorizationRequest;
import org.keycloak.representations.idm.authorization.Permission;

/**
 * What one caller may do, decided by Keycloak Authorization Services in-process (no token
 * endpoint round trip; every lookup goes through Keycloak's authorization cache), for the span
 * of one request.
 *
 * <p>A scope on a kind's type resource (the role and group permissions of the realm) holds for
 * every object of the kind. Without it, the scope is evaluated on the object's own resource,
 * where the kind's permissions apply too, and so do its owner, the namespace policies, and what
 * its owner shared (User-Managed Access). An object without a resource is decided by the kind's
 * permissions alone.
 */
public final class CallerPermissions {

    /** The evaluation-context attribute that carries MLflow's workspace, for policies to use. */
    public static final String WORKSPACE_ATTRIBUTE = "mlflow.workspace";

    private static final Logger LOG = Logger.getLogger(CallerPermissions.class);

    private final AuthorizationProvider authorization;
    private final ResourceServer resourceServer;
    private final EvaluationContext context;
    private final UserModel user;
    private final Map<ResourceKind, Map<Scope, Boolean>> kindWide = new EnumMap<>(ResourceKind.class);
    /** Per kind and scope, for the pages of one filtered search. */
    private final Map<ResourceKind, Map<Scope, Optional<ObjectGrantCandidates>>> candidates = new EnumMap<>(ResourceKind.class);

    private CallerPermissions(AuthorizationProvider authorization, ResourceServer resourceServer, EvaluationContext context, UserModel user) {
        this.authorization = authorization;
        this.resourceServer = resourceServer;
        this.context = context;
        this.user = user;
    }

    /**
     * @param workspace the MLflow workspace the request names, or null
     * @return empty when the realm lacks the MLflow client's resource server (deny everything)
     */
    public static Optional<CallerPermissions> of(KeycloakSession session, String clientId, Caller caller, String workspace) {
        return MlflowResourceServer.of(session, clientId).map(resourceServer -> {
            // The access-token constructor: the IDToken one evaluates a service account as its client, so the
            // owner policy would never match the service-account user recorded as the creator of what it made.
            KeycloakIdentity identity = new KeycloakIdentity(caller.token(), session, session.getContext().getRealm(), false);
            Map<String, List<String>> attributes = workspace == null ? Map.of() : Map.of(WORKSPACE_ATTRIBUTE, List.of(workspace));
            return new CallerPermissions(session.getProvider(AuthorizationProvider.class), resourceServer,
                    new DefaultEvaluationContext(identity, attributes, session), caller.user());
        });
    }

    /** Whether the scope is granted on every object of the kind. */
    public boolean hasOnEvery(ResourceKind kind, Scope scope) {
        Map<Scope, Boolean> decided = kindWide.computeIfAbsent(kind, k -> new EnumMap<>(Scope.class));
        Boolean granted = decided.get(scope);
        if (granted == null) {
            Resource typeResource = typeResource(kind);
            granted = typeResource != null && evaluate(typeResource, scope);
            decided.put(scope, granted);
        }
        return granted;
    }

    /** @return the kind's type resource; null (with a warning: denied) when the resource server lacks it */
    private Resource typeResource(ResourceKind kind) {
        Resource typeResource = authorization.getStoreFactory().getResourceStore().findByName(resourceServer, kind.resourceName());
        if (typeResource == null) {
            LOG.warnf("the MLflow resource server lacks the resource %s: denied", kind.resourceName());
        }
        return typeResource;
    }

    /**
     * Whether the scope is granted on one object of the kind.
     *
     * @param mlflowId the experiment id or registered model name
     */
    public boolean hasOn(ResourceKind kind, Scope scope, String mlflowId) {
        if (hasOnEvery(kind, scope)) {
            return true;
        }
        return InstanceResources.find(authorization, resourceServer, kind, mlflowId)
                .map(resource -> evaluate(resource, scope))
                .orElse(false);
    }

    /**
     * Of the objects of one kind, those the scope is granted on: one evaluation for all of them
     * (a filtered search's page), where {@link #hasOn} for each would set up one evaluation each;
     * and of only the objects whose answer {@link ObjectGrantCandidates} does not know beforehand.
     *
     * @param mlflowIds experiment ids or registered model names
     */
    public Set<String> grantedAmong(ResourceKind kind, Scope scope, Collection<String> mlflowIds) {
        if (hasOnEvery(kind, scope)) {
            return new HashSet<>(mlflowIds);
        }
        org.keycloak.authorization.model.Scope requested = scopeModel(scope);
        if (requested == null) {
            return Set.of();
        }
        Optional<ObjectGrantCandidates> candidates = candidates(kind, scope, requested);
        Map<String, String> mlflowIdByResource = new HashMap<>();
        List<ResourcePermission> asked = new ArrayList<>();
        Set<String> granted = new HashSet<>();
        for (String mlflowId : new LinkedHashSet<>(mlflowIds)) {
            Optional<Resource> found = InstanceResources.find(authorization, resourceServer, kind, mlflowId);
            if (found.isEmpty()) {
                continue;
            }
            Resource resource = found.get();
            switch (candidates.map(known -> known.answerOn(resource)).orElse(ObjectGrantCandidates.Known.NOT_YET)) {
                case GRANTED -> granted.add(mlflowId);
                case REFUSED -> { }
                case NOT_YET -> {
                    mlflowIdByResource.put(resource.getId(), mlflowId);
                    asked.add(new ResourcePermission(resource, List.of(requested), resourceServer));
                }
            }
        }
        if (asked.isEmpty()) {
            return granted;
        }
        for (Permission grant : evaluate(asked)) {
            String mlflowId = mlflowIdByResource.get(grant.getResourceId());
            if (mlflowId != null && grant.getScopes() != null && grant.getScopes().contains(scope.scopeName())) {
                granted.add(mlflowId);
            }
        }
        return granted;
    }

    private Optional<ObjectGrantCandidates> candidates(ResourceKind kind, Scope scope, org.keycloak.authorization.model.Scope requested) {
        return candidates.computeIfAbsent(kind, k -> new EnumMap<>(Scope.class)).computeIfAbsent(scope, s -> {
            Resource typeResource = typeResource(kind);
            return typeResource == null ? Optional.empty()
                    : ObjectGrantCandidates.of(authorization, resourceServer, typeResource, requested, callerId(), user);
        });
    }

    /** The id Authorization Services evaluate the caller by. */
    public String callerId() {
        return context.getIdentity().getId();
    }

    public AuthorizationProvider authorization() {
        return authorization;
    }

    public ResourceServer resourceServer() {
        return resourceServer;
    }

    private boolean evaluate(Resource resource, Scope scope) {
        org.keycloak.authorization.model.Scope requested = scopeModel(scope);
        if (requested == null) {
            return false;
        }
        for (Permission grant : evaluate(List.of(new ResourcePermission(resource, List.of(requested), resourceServer)))) {
            if (grant.getScopes() != null && grant.getScopes().contains(scope.scopeName())) {
                return true;
            }
        }
        return false;
    }

    private Collection<Permission> evaluate(List<ResourcePermission> asked) {
        return authorization.evaluators().from(asked, resourceServer, context).evaluate(resourceServer, new AuthorizationRequest());
    }

    /** @return the resource server's scope; null (with a warning: denied) when it lacks it */
    private org.keycloak.authorization.model.Scope scopeModel(Scope scope) {
        org.keycloak.authorization.model.Scope model = authorization.getStoreFactory().getScopeStore().findByName(resourceServer, scope.scopeName());
        if (model == null) {
            LOG.warnf("the MLflow resource server lacks the scope %s: denied", scope.scopeName());
        }
        return model;
    }
}
