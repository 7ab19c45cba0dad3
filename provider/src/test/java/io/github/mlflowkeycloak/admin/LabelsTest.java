package io.github.mlflowkeycloak.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowkeycloak.route.ResourceKind;
import org.junit.jupiter.api.Test;

class LabelsTest {

    @Test
    void aShortPartIsKeptWhole() {
        assertThat(Labels.bounded("group data-team", 90)).isEqualTo("group data-team");
    }

    @Test
    void longPartsThatDifferOnlyAfterTheCutStayDistinctAndBounded() {
        String one = Labels.bounded("group " + "a".repeat(200) + "/one", 90);
        String other = Labels.bounded("group " + "a".repeat(200) + "/other", 90);
        assertThat(one).hasSizeLessThanOrEqualTo(90).isNotEqualTo(other);
    }

    @Test
    void theLongestNamesFitKeycloaksColumn() {
        String model = new MlflowObject(ResourceKind.REGISTERED_MODEL, "m".repeat(238), "m".repeat(238)).label();
        String experiment = new MlflowObject(ResourceKind.EXPERIMENT, "9".repeat(19), "e".repeat(255)).label();
        String principal = Labels.bounded("role " + "c".repeat(255) + "/" + "r".repeat(255), 90);
        assertThat(experiment + ": " + principal + " (policy)").hasSizeLessThanOrEqualTo(255);
        assertThat(model + ": " + principal + " (policy)").hasSizeLessThanOrEqualTo(255);
    }
}
