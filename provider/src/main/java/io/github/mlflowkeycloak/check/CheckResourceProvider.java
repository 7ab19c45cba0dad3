package io.github.mlflowkeycloak.check;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

final class CheckResourceProvider implements RealmResourceProvider {

    private final KeycloakSession session;
    private final CheckResourceProviderFactory factory;

    CheckResourceProvider(KeycloakSession session, CheckResourceProviderFactory factory) {
        this.session = session;
        this.factory = factory;
    }

    @Override
    public Object getResource() {
        return factory.resource(session);
    }

    @Override
    public void close() {
    }
}
