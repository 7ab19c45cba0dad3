package io.github.mlflowkeycloak.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.github.mlflowkeycloak.request.BadRequestException;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.RouteTable;
import org.junit.jupiter.api.Test;

class FilteredSearchTest {

    private static final RouteTable TABLE = RouteTable.mlflow();

    @Test
    void filtersTheSearchesOfExperimentsModelsAndModelVersionsOnly() {
        assertThat(FilteredSearch.filteredKind(TABLE.lookup("GET", "/api/2.0/mlflow/experiments/search").orElseThrow()))
                .contains(ResourceKind.EXPERIMENT);
        assertThat(FilteredSearch.filteredKind(TABLE.lookup("POST", "/ajax-api/2.0/mlflow/experiments/search").orElseThrow()))
                .contains(ResourceKind.EXPERIMENT);
        assertThat(FilteredSearch.filteredKind(TABLE.lookup("GET", "/api/2.0/mlflow/registered-models/search").orElseThrow()))
                .contains(ResourceKind.REGISTERED_MODEL);
        assertThat(FilteredSearch.filteredKind(TABLE.lookup("GET", "/ajax-api/2.0/mlflow/model-versions/search").orElseThrow()))
                .contains(ResourceKind.REGISTERED_MODEL);
        // Runs are searched within experiments the request names: decided on those, not filtered.
        assertThat(FilteredSearch.filteredKind(TABLE.lookup("POST", "/api/2.0/mlflow/runs/search").orElseThrow())).isEmpty();
    }

    @Test
    void aPageTokenSaysWhereToGoOnAndNothingElse() throws Exception {
        FilteredSearch.Position position = new FilteredSearch.Position("MLflow's token", 17);
        String token = position.toToken();
        assertThat(FilteredSearch.Position.parse(token)).isEqualTo(position);
        assertThat(FilteredSearch.Position.parse(new FilteredSearch.Position(null, 0).toToken()))
                .isEqualTo(new FilteredSearch.Position(null, 0));
        assertThat(FilteredSearch.Position.parse(null)).isEqualTo(new FilteredSearch.Position(null, 0));
        assertThat(FilteredSearch.Position.parse("")).isEqualTo(new FilteredSearch.Position(null, 0));
    }

    @Test
    void asksMlflowForAsManyAsTheCallerCanBeExpectedToRead() {
        // First page: as many as asked for and a quarter more, after those of the page the token says were seen.
        assertThat(FilteredSearch.pageSize(100, 0, 0, 0)).isEqualTo(125);
        assertThat(FilteredSearch.pageSize(100, 30, 0, 0)).isEqualTo(155);
        // Then scaled by the share read so far: 10 of 100 seen, 90 still wanted, so 900 and a quarter more, at most a full page.
        assertThat(FilteredSearch.pageSize(90, 0, 10, 100)).isEqualTo(FilteredSearch.MLFLOW_PAGE_SIZE);
        assertThat(FilteredSearch.pageSize(60, 0, 20, 200)).isEqualTo(750);
        assertThat(FilteredSearch.pageSize(20, 0, 80, 100)).isEqualTo(32);
        assertThat(FilteredSearch.pageSize(100, 0, 0, 100)).isEqualTo(FilteredSearch.MLFLOW_PAGE_SIZE);
        // Never fewer than one new result past those already seen.
        assertThat(FilteredSearch.pageSize(0, 0, 0, 0)).isEqualTo(1);
        assertThat(FilteredSearch.pageSize(50, FilteredSearch.MLFLOW_PAGE_SIZE, 0, 0)).isEqualTo(FilteredSearch.MLFLOW_PAGE_SIZE);
    }

    @Test
    void refusesTokensItDidNotGive() {
        for (String token : new String[] {"eyJvZmZzZXQiOiAxMH0=", "mlflow-keycloak:!!!", "mlflow-keycloak:" + encode("[]"),
                "mlflow-keycloak:" + encode("{\"t\": null, \"s\": -1}"), "mlflow-keycloak:" + encode("{\"t\": 5, \"s\": 1}"),
                "mlflow-keycloak:" + encode("{\"t\": null, \"s\": 100000}"), "mlflow-keycloak:" + encode("{\"s\": 1}")}) {
            assertThatThrownBy(() -> FilteredSearch.Position.parse(token)).as(token).isInstanceOf(BadRequestException.class);
        }
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
