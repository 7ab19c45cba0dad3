package io.github.mlflowkeycloak.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.Scope;
import org.junit.jupiter.api.Test;

/** What a refused caller reads: the same words for everyone, plus whom to ask when they read the object. */
class DenialMessagesTest {

    private static final Access.Scoped UPDATE = new Access.Scoped(ResourceKind.EXPERIMENT, Scope.UPDATE);

    @Test
    void aRefusalOnAnObjectTheCallerReadsNamesItAndWhomToAsk() {
        String generic = DenialMessages.missingScope(UPDATE, "mlflow");
        assertThat(DenialMessages.missingScopeOn(UPDATE, "mlflow", new KnownObjects.Known("experiment 'alice-exp' (14)", "alice")))
                .isEqualTo(generic + " You can read the experiment 'alice-exp' (14): ask its owner alice or an MLflow admin for 'update' on it.");
        assertThat(DenialMessages.missingScopeOn(UPDATE, "mlflow", new KnownObjects.Known("experiment 'old' (3)", null)))
                .endsWith("ask an MLflow admin (it has no owner) for 'update' on it.");
    }

    @Test
    void otherwiseItNamesNoObject() {
        assertThat(DenialMessages.missingScope(UPDATE, "mlflow"))
                .startsWith("Permission denied: this needs the 'update' scope on the experiment it names, or on every experiment.")
                .doesNotContain("'(");
    }
}
