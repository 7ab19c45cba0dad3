package io.github.mlflowkeycloak.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowkeycloak.route.Route;
import io.github.mlflowkeycloak.route.RouteTable;
import org.junit.jupiter.api.Test;

class MlflowMessagesTest {

    @Test
    void everyRouteOfTheDataFileIsARouteOfTheTable() throws Exception {
        Set<String> described = new TreeSet<>();
        try (InputStream in = MlflowMessages.class.getResourceAsStream(MlflowMessages.RESOURCE)) {
            new ObjectMapper().readTree(in).get("routes").fieldNames().forEachRemaining(described::add);
        }
        Set<String> found = RouteTable.mlflow().routes().stream().filter(r -> MlflowMessages.of(r) != null)
                .map(Route::operation).collect(Collectors.toCollection(TreeSet::new));
        assertThat(described).hasSizeGreaterThan(150);
        assertThat(found).as("operations of the route table that have a request message").isEqualTo(described);
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
