package io.github.mlflowkeycloak.policy;

import org.keycloak.representations.idm.authorization.AbstractPolicyRepresentation;

/**
 * The namespace policy's settings; a field left out (as the admin console's generic form leaves
 * both out) keeps what the policy has.
 */
public class NamespacePolicyRepresentation extends AbstractPolicyRepresentation {

    private String userPrefix;
    private Boolean groups;

    @Override
    public String getType() {
        return NamespacePolicyProviderFactory.ID;
    }

    /** Names under {@code <userPrefix><username>/} belong to that user; default {@code users/}. */
    public String getUserPrefix() {
        return userPrefix;
    }

    public void setUserPrefix(String userPrefix) {
        this.userPrefix = userPrefix;
    }

    /** Whether names under {@code <group path>/} belong to the group's members; default true. */
    public Boolean getGroups() {
        return groups;
    }

    public void setGroups(Boolean groups) {
        this.groups = groups;
    }
}
