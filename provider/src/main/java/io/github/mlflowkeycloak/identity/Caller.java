package io.github.mlflowkeycloak.identity;

import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;

/** An authenticated caller: the Keycloak user and the verified access token it presented. */
public record Caller(UserModel user, AccessToken token) {
}
