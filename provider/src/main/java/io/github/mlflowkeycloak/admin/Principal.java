package io.github.mlflowkeycloak.admin;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.ModelToRepresentation;

/**
 * Whom a grant is for: a user (by username), a group (by its path, the leading slash optional),
 * or a role ({@code realmRole}, or {@code clientId/role} for a client's role).
 *
 * @param name as the API shows it: username, group path without its leading slash, role as above
 * @param id the Keycloak id of the user, group or role
 */
record Principal(Type type, String name, String id) {

    enum Type {
        USER, GROUP, ROLE;

        final String word = name().toLowerCase(Locale.ROOT);

        static Type of(String word) throws AdminException {
            for (Type type : values()) {
                if (type.word.equals(word)) {
                    return type;
                }
            }
            throw AdminException.badRequest("A principal's type is 'user', 'group' or 'role'.");
        }
    }

    static Principal find(KeycloakSession session, RealmModel realm, String type, String name) throws AdminException {
        Type kind = Type.of(type);
        if (name == null || name.isBlank()) {
            throw AdminException.badRequest("The principal has no name.");
        }
        Principal found = switch (kind) {
            case USER -> {
                UserModel user = session.users().getUserByUsername(realm, name);
                yield user == null ? null : of(user);
            }
            case GROUP -> {
                GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, name.startsWith("/") ? name : "/" + name);
                yield group == null ? null : of(group);
            }
            case ROLE -> {
                RoleModel role = role(realm, name);
                yield role == null ? null : of(role);
            }
        };
        if (found == null) {
            throw AdminException.notFound("The realm has no " + kind.word + " '" + name + "'.");
        }
        return found;
    }

    static Principal of(UserModel user) {
        return new Principal(Type.USER, user.getUsername(), user.getId());
    }

    static Principal of(GroupModel group) {
        return new Principal(Type.GROUP, ModelToRepresentation.buildGroupPath(group).substring(1), group.getId());
    }

    static Principal of(RoleModel role) {
        String name = role.isClientRole() ? ((ClientModel) role.getContainer()).getClientId() + "/" + role.getName() : role.getName();
        return new Principal(Type.ROLE, name, role.getId());
    }

    /**
     * {@code clientId/role} is always a client's role, a name without '/' a realm role: were a
     * realm role "ml/team" meant while no client "ml" exists, whoever creates client "ml" later
     * would receive what was granted to it. Realm roles with '/' in their names are not granted here.
     */
    private static RoleModel role(RealmModel realm, String name) {
        int slash = name.indexOf('/');
        if (slash < 0) {
            return realm.getRole(name);
        }
        ClientModel client = slash == 0 ? null : realm.getClientByClientId(name.substring(0, slash));
        return client == null ? null : client.getRole(name.substring(slash + 1));
    }

    /** {@code {"type": "group", "name": "data-team"}} */
    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", type.word);
        json.put("name", name);
        return json;
    }

    /** How policy names show it: {@code group data-team}. */
    String label() {
        return type.word + " " + name;
    }
}
