package io.github.mlflowkeycloak.check;

import io.github.mlflowkeycloak.stack.LocalStack;

/** The /check contract against the local stack's Keycloak (bin/stack up). */
class CheckEndpointIT extends CheckContract {

    @Override
    protected String keycloakUrl() {
        return LocalStack.keycloakUrl();
    }

    @Override
    protected String token(String user) {
        return LocalStack.token(user);
    }

    @Override
    protected String gatewaySecret() {
        return LocalStack.gatewaySecret();
    }
}
