package io.github.mlflowkeycloak.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowkeycloak.route.Route;
import io.github.mlflowkeycloak.route.MlflowVersion;
import io.github.mlflowkeycloak.route.RouteTable;
import io.github.mlflowkeycloak.route.RouteTableFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MlflowMessagesTest {

    static List<MlflowVersion> releases() {
        return RouteTableFile.builtIn().versions();
    }

    @ParameterizedTest(name = "MLflow {0}")
    @MethodSource("releases")
    void everyRouteOfTheDataFileIsARouteOfTheTable(MlflowVersion release) throws Exception {
        Set<String> described = new TreeSet<>();
        try (InputStream in = MlflowMessages.class.getResourceAsStream(MlflowMessages.resource(MlflowMessages.resourceRelease(release)))) {
            new ObjectMapper().readTree(in).get("routes").fieldNames().forEachRemaining(described::add);
        }
        MlflowMessages messages = MlflowMessages.of(release);
        Set<String> found = RouteTableFile.builtIn().table(release, null).routes().stream().filter(r -> messages.message(r) != null)
                .map(Route::operation).collect(Collectors.toCollection(TreeSet::new));
        assertThat(described).hasSizeGreaterThan(150);
        assertThat(found).as("operations of the MLflow " + release + " route table that have a request message").isEqualTo(described);
    }

    @Test
    void eachBuiltInReleaseHasItsOwnMessagesAndAnyOtherThoseOfTheNearestBeforeIt() {
        List<MlflowVersion> releases = RouteTableFile.builtIn().versions();
        for (MlflowVersion release : releases) {
            assertThat(MlflowMessages.resourceRelease(release)).isEqualTo(release);
        }
        assertThat(MlflowMessages.resourceRelease(MlflowVersion.parse("9.0.0"))).as("a release of an override file, newer than all")
                .isEqualTo(releases.get(releases.size() - 1));
        assertThat(MlflowMessages.resourceRelease(MlflowVersion.parse("3.16.5"))).isEqualTo(MlflowVersion.parse("3.16.1"));
        assertThat(MlflowMessages.resourceRelease(MlflowVersion.parse("3.0.0"))).isEqualTo(releases.get(0));
    }

    @Test
    void aRouteUnderAjaxApiHasTheMessageOfItsApiTwin() {
        RouteTable table = RouteTable.mlflow();
        assertThat(MlflowMessages.of(table.lookup("POST", "/ajax-api/2.0/mlflow/runs/search").orElseThrow()))
                .isSameAs(MlflowMessages.of(table.lookup("POST", "/api/2.0/mlflow/runs/search").orElseThrow()))
                .hasToString("mlflow.SearchRuns");
        assertThat(MlflowMessages.of(table.lookup("GET", "/graphql").orElseThrow())).isNull();
    }
}
