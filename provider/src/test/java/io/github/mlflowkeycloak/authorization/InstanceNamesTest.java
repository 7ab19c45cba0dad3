package io.github.mlflowkeycloak.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowkeycloak.route.ResourceKind;
import org.junit.jupiter.api.Test;

class InstanceNamesTest {

    @Test
    void anExperimentIsNamedByItsMlflowNameThenItsKey() {
        assertThat(InstanceNames.resourceName(ResourceKind.EXPERIMENT, "14", "alice-exp", false)).isEqualTo("alice-exp (experiment/14)");
        assertThat(InstanceNames.resourceName(ResourceKind.EXPERIMENT, "14", "alice-exp", true)).isEqualTo("alice-exp (deleted experiment/14)");
        assertThat(InstanceNames.resourceName(ResourceKind.REGISTERED_MODEL, "churn", "churn", false)).isEqualTo("registered-model/churn");
    }

    @Test
    void aNameIsOnlyEverTheNameOfTheKeyItEndsWith() {
        assertThat(InstanceNames.isNameOf("alice-exp (experiment/14)", "experiment/14")).isTrue();
        assertThat(InstanceNames.isNameOf("alice-exp (deleted experiment/14)", "experiment/14")).isTrue();
        assertThat(InstanceNames.isNameOf("experiment/14", "experiment/14")).as("an earlier release's name").isTrue();
        String lookalike = InstanceNames.resourceName(ResourceKind.EXPERIMENT, "16", "x (experiment/15)", false);
        assertThat(InstanceNames.isNameOf(lookalike, "experiment/15")).isFalse();
        assertThat(InstanceNames.isNameOf(lookalike, "experiment/16")).isTrue();
        assertThat(InstanceNames.isNameOf("a (experiment/115)", "experiment/15")).isFalse();
        assertThat(InstanceNames.isNameOf("a (EXPERIMENT/15)", "experiment/15")).isFalse();
        assertThat(InstanceNames.isNameOf("registered-model/x (experiment/15)", "registered-model/x")).isFalse();
        // A model's name is its key alone: one renamed to look like another's is not that other.
        assertThat(InstanceNames.isNameOf("registered-model/z (registered-model/victim)", "registered-model/victim")).isFalse();
        assertThat(InstanceNames.isNameOf("registered-model/victim", "registered-model/victim")).isTrue();
    }

    @Test
    void aLongNameIsCutSoThatTheKeyStaysWhole() {
        String name = InstanceNames.resourceName(ResourceKind.EXPERIMENT, "123456", "n".repeat(255), true);
        assertThat(name).hasSize(InstanceNames.MAX_LENGTH).endsWith("n… (deleted experiment/123456)");
        String emoji = "\uD83D\uDE00".repeat(200);
        String cut = InstanceNames.resourceName(ResourceKind.EXPERIMENT, "7", emoji, false);
        assertThat(cut.length()).isLessThanOrEqualTo(InstanceNames.MAX_LENGTH);
        String kept = cut.substring(0, cut.indexOf('…'));
        assertThat(kept.codePoints().allMatch(point -> point == 0x1F600)).as("no half emoji").isTrue();
        assertThat(InstanceNames.isNameOf(cut, "experiment/7")).isTrue();
    }
}
