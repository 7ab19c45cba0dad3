package io.github.mlflowkeycloak.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Set;
import java.util.TreeSet;

import io.github.mlflowkeycloak.route.Access;
import io.github.mlflowkeycloak.route.Reference;
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
    void everyReferenceOfTheTableLeadsToItsObject() {
        Set<String> unresolved = new TreeSet<>();
        for (Route route : RouteTable.mlflow().routes()) {
            for (Reference reference : route.references()) {
                boolean resolved = switch (reference.follows()) {
                    case OBJECT -> reference.kind() == ResourceKind.GATEWAY || reference.kind() == ResourceKind.SERVER
                            || FollowedReferences.leadsTo(reference) != null;
                    case EXISTING -> ObjectPermissions.childOf(FollowedReferences.leadsTo(reference)) != null;
                    case URI, TAG_KEY -> true;
                };
                if (!resolved) {
                    unresolved.add(route.operation() + " " + reference.field().name());
                }
            }
        }
        assertThat(unresolved).isEmpty();
    }

    @Test
    void aModelVersionFromARunReadsItAndOneFromALoggedModelTagsIt() {
        Route create = RouteTable.mlflow().lookup("POST", "/api/2.0/mlflow/model-versions/create").orElseThrow();
        assertThat(create.references()).extracting(reference -> reference.field().name(), Reference::follows, Reference::scope)
                .contains(tuple("run_id", Reference.Follows.OBJECT, Scope.READ),
                        // MLflow tags the logged model with the model versions made from it.
                        tuple("model_id", Reference.Follows.OBJECT, Scope.UPDATE),
                        tuple("source", Reference.Follows.URI, Scope.READ));
        assertThat(FollowedReferences.leadsTo(create.references().get(0))).isEqualTo(ObjectReference.RUN_ID);
        assertThat(ObjectReference.of(ResourceKind.REGISTERED_MODEL, "name").reference())
                .isEqualTo(ObjectReference.REGISTERED_MODEL_NAME);
        assertThat(ObjectReference.of(ResourceKind.GATEWAY, "name")).isNull();
    }

    @Test
    void aTraceContextNamesItsTrace() {
        assertThat(ObjectPermissions.traceOfTraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
                .contains("tr-0af7651916cd43dd8448eb211c80319c");
        assertThat(ObjectPermissions.traceOfTraceContext("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01")).isEmpty();
        assertThat(ObjectPermissions.traceOfTraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331")).isEmpty();
        assertThat(ObjectPermissions.traceOfTraceContext("tr-0af7651916cd43dd8448eb211c80319c")).isEmpty();
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
