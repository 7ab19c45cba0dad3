package io.github.mlflowkeycloak.policy;

import jakarta.ws.rs.core.Response;
import org.keycloak.Config;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.model.Policy;
import org.keycloak.authorization.policy.provider.PolicyProvider;
import org.keycloak.authorization.policy.provider.PolicyProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.ErrorResponseException;

/**
 * What the extension's policy types share: the admin console's group "MLflow", one stateless
 * provider for every evaluation, and no per-policy setting (the console draws no form for one).
 */
abstract class MlflowPolicyProviderFactory implements PolicyProviderFactory<MlflowPolicyRepresentation> {

    /** The provider that evaluates every policy of the type; it keeps no state of its own. */
    protected abstract PolicyProvider provider();

    /** @return the namespaces a policy of the type gives; null for a type that gives none */
    Namespaces namespaces(Policy policy) {
        return null;
    }

    @Override
    public String getGroup() {
        return "MLflow";
    }

    @Override
    public PolicyProvider create(AuthorizationProvider authorization) {
        return provider();
    }

    @Override
    public PolicyProvider create(KeycloakSession session) {
        return provider();
    }

    @Override
    public Class<MlflowPolicyRepresentation> getRepresentationType() {
        return MlflowPolicyRepresentation.class;
    }

    @Override
    public MlflowPolicyRepresentation toRepresentation(Policy policy, AuthorizationProvider authorization) {
        return new MlflowPolicyRepresentation();
    }

    @Override
    public void onCreate(Policy policy, MlflowPolicyRepresentation representation, AuthorizationProvider authorization) {
        refuseCode(representation);
    }

    @Override
    public void onUpdate(Policy policy, MlflowPolicyRepresentation representation, AuthorizationProvider authorization) {
        refuseCode(representation);
    }

    /** Code given to a type that runs none is a mistake the admin should hear of, not a silent no-op. */
    private static void refuseCode(MlflowPolicyRepresentation representation) {
        if (representation.getCode() != null && !representation.getCode().isBlank()) {
            throw new ErrorResponseException("invalid_policy", "an MLflow policy runs no code", Response.Status.BAD_REQUEST);
        }
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
