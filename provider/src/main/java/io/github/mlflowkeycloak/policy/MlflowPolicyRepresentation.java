package io.github.mlflowkeycloak.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.keycloak.representations.idm.authorization.AbstractPolicyRepresentation;

/**
 * What every policy type of the extension takes: a name, a description, a logic, and nothing
 * else, so that the admin console's form for types it does not know (its JavaScript-policy form)
 * creates and saves them. That form sends its {@code code} box empty; code is no setting of ours.
 * Fields the type does not know (a form's extras, the {@code userPrefix} and {@code groups} that
 * earlier releases took) are ignored rather than answered with Keycloak's 500 for JSON it cannot
 * map; a client that reads the policy back sees what it holds.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class MlflowPolicyRepresentation extends AbstractPolicyRepresentation {

    private String code;

    /** Always empty: the admin console's generic form sends it, nothing reads it. */
    public String getCode() {
        return code;
    }

    public void setCode(String code) {
        this.code = code;
    }
}
