package io.github.mlflowkeycloak.policy;

import org.keycloak.Config;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.policy.provider.PolicyProvider;
import org.keycloak.authorization.policy.provider.PolicyProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.representations.idm.authorization.AbstractPolicyRepresentation;

/**
 * What the extension's policy types share: the admin console's group "MLflow", one stateless
 * provider for every evaluation, and nothing to configure at Keycloak's start.
 */
abstract class MlflowPolicyProviderFactory<R extends AbstractPolicyRepresentation> implements PolicyProviderFactory<R> {

    /** The provider that evaluates every policy of the type; it keeps no state of its own. */
    protected abstract PolicyProvider provider();

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
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
