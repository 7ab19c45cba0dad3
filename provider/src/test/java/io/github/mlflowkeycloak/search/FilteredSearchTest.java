package io.github.mlflowkeycloak.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.github.mlflowkeycloak.request.BadRequestException;
import io.github.mlflowkeycloak.route.ResourceKind;
import io.github.mlflowkeycloak.route.RouteTable;
import org.junit.jupiter.api.Test;
import org.keycloak.crypto.KeyWrapper;

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
    void aPageTokenSaysWhereToGoOnToItsCallerAndSearchAlone() throws Exception {
        FilteredSearch.Position position = new FilteredSearch.Position("eyJvZmZzZXQiOiAxN30=", 17);
        String token = position.seal(tokens("alice-id"), EXPERIMENTS_BY_NAME);
        assertThat(FilteredSearch.Position.open(tokens("alice-id"), EXPERIMENTS_BY_NAME, token)).isEqualTo(position);
        // MLflow's token is an offset that counts hidden objects: not readable in the gateway's.
        assertThat(token).doesNotContain("eyJvZmZzZXQiOiAxN30");
        assertThatThrownBy(() -> FilteredSearch.Position.open(tokens("bob-id"), EXPERIMENTS_BY_NAME, token))
                .isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> FilteredSearch.Position.open(tokens("alice-id"), "REGISTERED_MODELS\n{order_by=[name]}", token))
                .isInstanceOf(BadRequestException.class);
        // Replayed with another filter, its offset would count what the first filter matched among hidden objects.
        assertThatThrownBy(() -> FilteredSearch.Position.open(tokens("alice-id"), "EXPERIMENTS\n{filter=[name LIKE 'b%'], order_by=[name]}",
                token)).isInstanceOf(BadRequestException.class);
        assertThat(FilteredSearch.Position.open(tokens("alice-id"), EXPERIMENTS_BY_NAME, null))
                .isEqualTo(new FilteredSearch.Position(null, 0));
        assertThat(FilteredSearch.Position.open(tokens("alice-id"), EXPERIMENTS_BY_NAME, ""))
                .isEqualTo(new FilteredSearch.Position(null, 0));
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
        String sealed = new FilteredSearch.Position(null, 3).seal(tokens("alice-id"), EXPERIMENTS_BY_NAME);
        String body = sealed.substring(sealed.indexOf('.') + 1);
        byte[] bytes = Base64.getUrlDecoder().decode(body);
        bytes[bytes.length / 2] ^= 1;
        String tampered = "mlflow-keycloak:" + KID + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        for (String token : new String[] {"eyJvZmZzZXQiOiAxMH0=", "mlflow-keycloak:!!!", "mlflow-keycloak:" + encode("{\"t\": null, \"s\": 1}"),
                "mlflow-keycloak:another-key." + body, "mlflow-keycloak:" + KID + ".", "mlflow-keycloak:" + KID + ".AAAA",
                "mlflow-keycloak:" + KID + ".%%%", tampered}) {
            assertThatThrownBy(() -> FilteredSearch.Position.open(tokens("alice-id"), EXPERIMENTS_BY_NAME, token)).as(token)
                    .isInstanceOf(BadRequestException.class);
        }
    }

    @Test
    void refusesPositionsThatCannotBeMlflowsOnceOpened() {
        for (String position : new String[] {"[]", "{\"t\": null, \"s\": -1}", "{\"t\": 5, \"s\": 1}", "{\"t\": null, \"s\": 100000}",
                "{\"s\": 1}", "not json"}) {
            assertThatThrownBy(() -> FilteredSearch.Position.parse(position.getBytes(StandardCharsets.UTF_8))).as(position)
                    .isInstanceOf(BadRequestException.class);
        }
    }

    /** What a token continues: the search and its parameters, as FilteredSearch writes them. */
    private static final String EXPERIMENTS_BY_NAME = "EXPERIMENTS\n{order_by=[name]}";
    private static final String KID = "realm-aes";
    private static final javax.crypto.SecretKey KEY = aesKey();

    private static javax.crypto.SecretKey aesKey() {
        try {
            javax.crypto.KeyGenerator generator = javax.crypto.KeyGenerator.getInstance("AES");
            generator.init(128);
            return generator.generateKey();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The realm's one AES key, as Keycloak's key manager hands it out. */
    private static PageTokens tokens(String callerId) {
        KeyWrapper key = new KeyWrapper();
        key.setKid(KID);
        key.setSecretKey(KEY);
        return new PageTokens(new PageTokens.Keys() {
            @Override
            public KeyWrapper active() {
                return key;
            }

            @Override
            public KeyWrapper byId(String kid) {
                return KID.equals(kid) ? key : null;
            }
        }, callerId);
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
