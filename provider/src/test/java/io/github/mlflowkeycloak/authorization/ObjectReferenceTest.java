package io.github.mlflowkeycloak.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;

import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.RequestField;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.Route;
import io.github.mlflowkeycloak.route.RouteTable;
import io.github.mlflowkeycloak.route.Scope;
import org.junit.jupiter.api.Test;

class ObjectReferenceTest {

    /**
     * Fields of experiment and model routes that do not lead to an experiment or model: their
     * routes are allowed only by kind-wide grants (roles, groups). Jobs: MLflow's job API does
     * not say which experiment a job belongs to. A new field in the route
     * table must be added to ObjectReference or here, knowingly.
     */
    private static final Set<String> KIND_WIDE_ONLY = Set.of("job_id");

    @Test
    void everyIdFieldOfExperimentAndModelRoutesIsResolvedOrKnowinglyKindWide() {
        Set<String> unknown = new TreeSet<>();
        for (Route route : RouteTable.mlflow().routes()) {
            if (route.access() instanceof Access.Scoped scoped
                    && (scoped.kind() == ResourceKind.EXPERIMENT || scoped.kind() == ResourceKind.REGISTERED_MODEL)
                    && scoped.scope() != Scope.CREATE) {
                for (RequestField field : route.ids()) {
                    if (ObjectReference.of(scoped.kind(), field.name()) == null && !KIND_WIDE_ONLY.contains(field.name())) {
                        unknown.add(scoped.kind().resourceName() + " " + field.name());
                    }
                }
            }
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void aModelVersionFromARunReadsTheRunsExperiment() {
        ObjectReference.Use run = ObjectReference.of(ResourceKind.REGISTERED_MODEL, "run_id");
        assertThat(run.kind()).isEqualTo(ResourceKind.EXPERIMENT);
        assertThat(run.readOnly()).isTrue();
        assertThat(ObjectReference.of(ResourceKind.REGISTERED_MODEL, "name").reference())
                .isEqualTo(ObjectReference.REGISTERED_MODEL_NAME);
        assertThat(ObjectReference.of(ResourceKind.GATEWAY, "name")).isNull();
    }

    @Test
    void anArtifactPathBelongsToTheExperimentItStartsWith() {
        assertThat(ObjectPermissions.experimentOfArtifactPath("12/abc/artifacts/model.pkl")).contains("12");
        assertThat(ObjectPermissions.experimentOfArtifactPath("12")).contains("12");
        assertThat(ObjectPermissions.experimentOfArtifactPath("12/models/m-1/artifacts")).contains("12");
        assertThat(ObjectPermissions.experimentOfArtifactPath("workspaces/team/12/abc")).isEmpty();
        assertThat(ObjectPermissions.experimentOfArtifactPath("/12/abc")).isEmpty();
        assertThat(ObjectPermissions.experimentOfArtifactPath("")).isEmpty();
        assertThat(ObjectPermissions.experimentOfArtifactPath("1x/abc")).isEmpty();
    }
}
