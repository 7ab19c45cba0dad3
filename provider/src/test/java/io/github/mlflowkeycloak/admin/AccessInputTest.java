package io.github.mlflowkeycloak.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowkeycloak.route.ResourceKind;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** What the admin access API accepts, and how it names what it makes. */
class AccessInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void scopesAreTheFourInstanceScopesWithoutDuplicates() throws Exception {
        assertThat(AccessResource.scopes(JSON.readTree("[\"update\", \"read\", \"read\"]"))).containsExactly("read", "update");
        assertThat(AccessResource.scopes(JSON.readTree("[]"))).isEmpty();
    }

    @Test
    void anyOtherScopeOrShapeIsABadRequest() {
        for (String bad : new String[] {"[\"create\"]", "[\"use\"]", "[\"READ\"]", "[1]", "[null]", "\"read\"", "{}", "null"}) {
            assertThatThrownBy(() -> AccessResource.scopes(JSON.readTree(bad)))
                    .isInstanceOfSatisfying(AdminException.class, e -> assertThat(e.status()).isEqualTo(Response.Status.BAD_REQUEST));
        }
    }

    @Test
    void kindsAreExperimentsAndRegisteredModelsOnly() throws Exception {
        assertThat(MlflowObjects.kind("experiment")).isEqualTo(ResourceKind.EXPERIMENT);
        assertThat(MlflowObjects.kind("registered-model")).isEqualTo(ResourceKind.REGISTERED_MODEL);
        for (String bad : new String[] {"gateway", "server", "Experiment", "", "experiments"}) {
            assertThatThrownBy(() -> MlflowObjects.kind(bad)).isInstanceOf(AdminException.class);
        }
    }

    @Test
    void experimentIdsAreDecimalNumbers() {
        assertThat(MlflowObjects.isExperimentId("0")).isTrue();
        assertThat(MlflowObjects.isExperimentId("123456789012345678")).isTrue();
        for (String bad : new String[] {"", "-1", "1.0", "١٢", "1 ", "x".repeat(3), "9".repeat(65)}) {
            assertThat(MlflowObjects.isExperimentId(bad)).as(bad).isFalse();
        }
    }

    @Test
    void labelsNameTheObjectAsTheConsoleListsIt() {
        assertThat(new MlflowObject(ResourceKind.EXPERIMENT, "14", "alice-exp").label()).isEqualTo("experiment alice-exp (14)");
        assertThat(new MlflowObject(ResourceKind.REGISTERED_MODEL, "churn", "churn").label()).isEqualTo("registered-model churn");
        String longName = "n".repeat(300);
        assertThat(new MlflowObject(ResourceKind.EXPERIMENT, "7", longName).label()).hasSizeLessThan(140).matches("experiment n+…~[0-9a-f]{8} \\(7\\)");
    }
}
