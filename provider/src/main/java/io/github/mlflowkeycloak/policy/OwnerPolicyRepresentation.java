package io.github.mlflowkeycloak.policy;

import org.keycloak.representations.idm.authorization.AbstractPolicyRepresentation;

/** The owner policy has nothing to configure. */
public class OwnerPolicyRepresentation extends AbstractPolicyRepresentation {

    @Override
    public String getType() {
        return OwnerPolicyProviderFactory.ID;
    }
}
