package io.github.mlflowkeycloak.admin;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

final class AccessResourceProvider implements AdminRealmResourceProvider {

    private final String clientId;
    private final MlflowObjects objects;

    AccessResourceProvider(String clientId, MlflowObjects objects) {
        this.clientId = clientId;
        this.objects = objects;
    }

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return new AccessResource(session, realm, auth, adminEvent, clientId, objects);
    }

    @Override
    public void close() {
    }
}
