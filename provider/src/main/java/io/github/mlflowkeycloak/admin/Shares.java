package io.github.mlflowkeycloak.admin;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.model.PermissionTicket;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** What the owner of an object shared of it from the Account Console (User-Managed Access): its granted permission tickets. */
final class Shares {

    /** One user's share: the scopes, and who shared them. */
    record Share(Principal principal, SortedSet<String> scopes, String sharedBy) {

        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("principal", principal.json());
            json.put("scopes", List.copyOf(scopes));
            json.put("via", "share");
            json.put("sharedBy", sharedBy);
            return json;
        }
    }

    private Shares() {
    }

    static List<Share> of(KeycloakSession session, AuthorizationProvider authorization, ResourceServer resourceServer, Resource resource) {
        Map<PermissionTicket.FilterOption, String> filter = new EnumMap<>(PermissionTicket.FilterOption.class);
        filter.put(PermissionTicket.FilterOption.RESOURCE_ID, resource.getId());
        filter.put(PermissionTicket.FilterOption.GRANTED, Boolean.TRUE.toString());
        // Every ticket of the resource, whoever owns or requested it.
        filter.put(PermissionTicket.FilterOption.IS_ADMIN, Boolean.TRUE.toString());
        RealmModel realm = session.getContext().getRealm();
        Map<String, SortedSet<String>> scopesByRequester = new TreeMap<>();
        Map<String, String> ownerByRequester = new TreeMap<>();
        for (PermissionTicket ticket : authorization.getStoreFactory().getPermissionTicketStore().find(resourceServer, filter, -1, -1)) {
            if (ticket.getScope() == null || ticket.getRequester() == null) {
                continue;
            }
            scopesByRequester.computeIfAbsent(ticket.getRequester(), requester -> new TreeSet<>()).add(ticket.getScope().getName());
            ownerByRequester.put(ticket.getRequester(), ticket.getOwner());
        }
        List<Share> shares = new ArrayList<>();
        scopesByRequester.forEach((requester, scopes) -> {
            UserModel user = session.users().getUserById(realm, requester);
            if (user != null) {
                shares.add(new Share(Principal.of(user), scopes, username(session, realm, ownerByRequester.get(requester))));
            }
        });
        return shares;
    }

    /** The username of a user id; null when it names no user (the resource server owns it). */
    static String username(KeycloakSession session, RealmModel realm, String userId) {
        if (userId == null) {
            return null;
        }
        UserModel user = session.users().getUserById(realm, userId);
        return user == null ? null : user.getUsername();
    }
}
