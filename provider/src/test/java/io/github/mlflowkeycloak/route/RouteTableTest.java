package io.github.mlflowkeycloak.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTableTest {

    private static final RouteTable TABLE = RouteTable.mlflow();

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "GET,    /health,                                                  public",
            "GET,    /version,                                                 signed-in",
            "GET,    /,                                                        signed-in",
            "GET,    /static-files/static/js/main.js,                          signed-in",
            "POST,   /api/2.0/mlflow/experiments/create,                       experiment:create",
            "GET,    /api/2.0/mlflow/experiments/get,                          experiment:read",
            "HEAD,   /api/2.0/mlflow/experiments/get,                          experiment:read",
            "GET,    /api/2.0/mlflow/experiments/search,                       experiment:read",
            "POST,   /api/2.0/mlflow/experiments/search,                       experiment:read",
            "POST,   /api/2.0/mlflow/experiments/delete,                       experiment:delete",
            "POST,   /ajax-api/2.0/mlflow/experiments/delete,                  experiment:delete",
            "POST,   /api/2.0/mlflow/experiments/restore,                      experiment:delete",
            "POST,   /api/2.0/mlflow/runs/create,                              experiment:update",
            "POST,   /api/2.0/mlflow/runs/log-batch,                           experiment:update",
            "POST,   /api/2.0/mlflow/runs/log-metric,                          experiment:update",
            "POST,   /api/2.0/mlflow/runs/log-parameter,                       experiment:update",
            "POST,   /api/2.0/mlflow/runs/set-tag,                             experiment:update",
            "POST,   /api/2.0/mlflow/runs/delete,                              experiment:delete",
            "POST,   /ajax-api/2.0/mlflow/runs/delete,                         experiment:delete",
            "GET,    /api/2.0/mlflow/runs/get,                                 experiment:read",
            "POST,   /api/2.0/mlflow/runs/search,                              experiment:read",
            "GET,    /api/2.0/mlflow/metrics/get-history,                      experiment:read",
            "GET,    /ajax-api/2.0/mlflow/metrics/get-history-bulk,            experiment:read",
            "GET,    /api/2.0/mlflow/artifacts/list,                           experiment:read",
            "GET,    /get-artifact,                                            experiment:read",
            "GET,    /api/2.0/mlflow-artifacts/artifacts,                      experiment:read",
            "GET,    /api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/a.txt, experiment:read",
            "HEAD,   /api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/a.txt, experiment:read",
            "PUT,    /api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/a.txt, experiment:update",
            "DELETE, /api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/a.txt, experiment:delete",
            "PUT,    /ajax-api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/a.txt, experiment:update",
            "POST,   /api/2.0/mlflow-artifacts/mpu/create/1/abc/artifacts/big.bin, experiment:update",
            "POST,   /api/2.0/mlflow/registered-models/create,                 registered-model:create",
            "GET,    /api/2.0/mlflow/registered-models/get,                    registered-model:read",
            "PATCH,  /api/2.0/mlflow/registered-models/update,                 registered-model:update",
            "DELETE, /api/2.0/mlflow/registered-models/delete,                 registered-model:delete",
            "GET,    /api/2.0/mlflow/registered-models/alias,                  registered-model:read",
            "POST,   /api/2.0/mlflow/registered-models/alias,                  registered-model:update",
            "DELETE, /api/2.0/mlflow/registered-models/alias,                  registered-model:update",
            "POST,   /api/2.0/mlflow/model-versions/create,                    registered-model:update",
            "DELETE, /api/2.0/mlflow/model-versions/delete,                    registered-model:delete",
            "GET,    /model-versions/get-artifact,                             registered-model:read",
            "POST,   /graphql,                                                 graphql",
            "GET,    /graphql,                                                 graphql",
            "POST,   /ajax-api/3.0/jobs/,                                      experiment:update",
            "POST,   /v1/traces,                                               experiment:update",
            "GET,    /api/3.0/mlflow/traces/get,                               experiment:read",
            "GET,    /api/3.0/mlflow/traces/tr-123,                            experiment:read",
            "DELETE, /api/3.0/mlflow/traces/tr-1/assessments/a-1,              experiment:update",
            "POST,   /api/3.0/mlflow/traces/delete-traces,                     experiment:delete",
            "POST,   /api/3.0/mlflow/datasets/create,                          experiment:update",
            "DELETE, /api/3.0/mlflow/datasets/d-1,                             experiment:delete",
            "POST,   /api/2.0/mlflow/webhooks,                                 server:manage",
            "GET,    /api/2.0/mlflow/webhooks,                                 server:manage",
            "POST,   /api/3.0/mlflow/workspaces,                               server:manage",
            "GET,    /api/3.0/mlflow/workspaces,                               signed-in",
            "GET,    /api/3.0/mlflow/gateway/secrets/list,                     gateway:manage",
            "POST,   /api/3.0/mlflow/gateway/budgets/create,                   gateway:manage",
            "GET,    /api/3.0/mlflow/gateway/budgets/list,                     gateway:read",
            "PATCH,  /api/3.0/mlflow/gateway/guardrails/update-config,         gateway:manage",
            "POST,   /api/3.0/mlflow/gateway/endpoints/create,                 gateway:create",
            "POST,   /gateway/my-endpoint/mlflow/invocations,                  gateway:use",
            "POST,   /gateway/gemini/v1beta/models/chat:generateContent,       gateway:use",
            "POST,   /gateway/proxy/my-endpoint/v1/chat,                       gateway:use",
            "GET,    /gateway/mlflow/v1/models,                                gateway:read",
            "DELETE, /api/3.0/mlflow/mcp-servers/a/b/versions/1,               gateway:delete",
            "DELETE, /api/3.0/mlflow/mcp-servers/a/b/tags/k,                   gateway:update",
            "POST,   /ajax-api/3.0/mlflow/assistant/message,                   server:update",
            "POST,   /ajax-api/3.0/mlflow/demo/generate,                       server:update",
            "POST,   /ajax-api/2.0/mlflow/upload-artifact,                     experiment:update",
            "GET,    /ajax-api/3.0/mlflow/get-trace-artifact,                  experiment:read",
    })
    void mapsMlflowRoutesToWhatTheyAsk(String method, String path, String access) {
        Optional<Route> route = TABLE.lookup(method, path);
        assertThat(route).isPresent();
        assertThat(route.get().access()).isEqualTo(Access.parse(access));
    }

    @ParameterizedTest(name = "{0} {1} is not a route")
    @CsvSource({
            "GET,     /api/2.0/mlflow/made-up",
            "POST,    /api/2.0/mlflow/experiments/get",
            "GET,     /api/2.0/mlflow/experiments/delete",
            "DELETE,  /api/2.0/mlflow/experiments/delete",
            "PUT,     /api/2.0/mlflow/runs/delete",
            "OPTIONS, /api/2.0/mlflow/experiments/get",
            "TRACE,   /health",
            "get,     /health",
            "GET,     /api/2.0/mlflow/experiments/get/",
            "GET,     /API/2.0/mlflow/experiments/get",
            "GET,     /api/2.1/mlflow/experiments/get",
            "GET,     /ajax-api/2.0/mlflow/experiments/getx",
            "GET,     /api/2.0/mlflow/metrics/get-history-bulk",
            "GET,     /health/x",
            "GET,     /static-files",
            "PUT,     /api/2.0/mlflow-artifacts/artifacts",
            "GET,     /api/2.0/mlflow/gateway/routes",
            "PUT,     /graphql",
            "POST,    /ajax-api/3.0/jobs",
            "GET,     /api/3.0/mlflow/workspaces/",
            "POST,    /gateway/gemini/v1beta/models/:generateContent",
    })
    void deniesWhatItDoesNotList(String method, String path) {
        assertThat(TABLE.lookup(method, path)).isEmpty();
    }

    @Test
    void servesEveryApiRouteUnderAjaxApiToo() {
        for (Route route : TABLE.routes()) {
            String path = route.path().toString();
            if (path.startsWith("/api/")) {
                String ajax = "/ajax-api/" + path.substring("/api/".length());
                assertThat(TABLE.routes()).as(ajax)
                        .anyMatch(r -> r.method().equals(route.method()) && r.path().toString().equals(ajax)
                                && r.access().equals(route.access()));
            }
        }
    }

    @Test
    void namesTheIdsOfRoutesAndWhereMlflowReadsThem() {
        assertThat(TABLE.lookup("POST", "/api/2.0/mlflow/runs/log-batch").get().ids())
                .containsExactly(new RequestField(RequestField.Source.REQUEST, "run_id"));
        assertThat(TABLE.lookup("GET", "/api/2.0/mlflow/registered-models/get").get().ids())
                .containsExactly(new RequestField(RequestField.Source.REQUEST, "name"));
        assertThat(TABLE.lookup("GET", "/api/2.0/mlflow/logged-models/m-1").get().ids())
                .containsExactly(new RequestField(RequestField.Source.PATH, "model_id"));
        assertThat(TABLE.lookup("GET", "/get-artifact").get().ids())
                .extracting(RequestField::source).containsOnly(RequestField.Source.QUERY);
        assertThat(TABLE.lookup("POST", "/v1/traces").get().ids())
                .containsExactly(new RequestField(RequestField.Source.HEADER, "x-mlflow-experiment-id"));
        assertThat(TABLE.lookup("GET", "/health").get().ids()).isEmpty();
    }

    @Test
    void rejectsMalformedTables() {
        assertThatThrownBy(() -> parse("GET /health"))
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> parse("GET /health public\nGET /health public"))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> parse("HEAD /health public"))
                .hasMessageContaining("HEAD");
        assertThatThrownBy(() -> parse("GET /x notebook:read"))
                .hasMessageContaining("unknown resource kind");
        assertThatThrownBy(() -> parse("GET /x experiment:own"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("GET /x anyone"))
                .hasMessageContaining("public, signed-in");
        assertThatThrownBy(() -> parse("GET /health public"))
                .hasMessageContaining("names no MLflow version");
        assertThatThrownBy(() -> parse("MLFLOW-VERSIONS 3.17.2\nGET /health public\nMLFLOW-VERSIONS 3.18.0"))
                .hasMessageContaining("line 3");
    }

    @Test
    void aLineAppliesToTheReleasesOfItsRange() throws Exception {
        RouteTableFile file = RouteTableFile.parse(new ByteArrayInputStream("""
                MLFLOW-VERSIONS 3.14.0 3.15.0 3.16.0
                GET  /health                         public
                GET  /api/2.0/mlflow/things/get      experiment:read    experiment_id   mlflow>=3.15.0
                GET  /api/2.0/mlflow/old/get         experiment:read    -               mlflow<3.15.0
                POST /api/2.0/mlflow/things/create   experiment:update  experiment_id   mlflow>=3.15.0,<3.16.0
                POST /api/2.0/mlflow/things/create   server:update      -               mlflow>=3.16.0
                """.getBytes(StandardCharsets.UTF_8)), "t");
        assertThat(file.versions()).extracting(String::valueOf).containsExactly("3.14.0", "3.15.0", "3.16.0");
        RouteTable oldest = file.table(MlflowVersion.parse("3.14.0"), null);
        assertThat(oldest.lookup("GET", "/api/2.0/mlflow/things/get")).isEmpty();
        assertThat(oldest.lookup("GET", "/ajax-api/2.0/mlflow/old/get")).isPresent();
        RouteTable middle = file.table(MlflowVersion.parse("3.15.0"), null);
        assertThat(middle.lookup("GET", "/api/2.0/mlflow/things/get").get().ids()).hasSize(1);
        assertThat(middle.lookup("GET", "/api/2.0/mlflow/old/get")).isEmpty();
        assertThat(middle.lookup("POST", "/api/2.0/mlflow/things/create").get().access()).isEqualTo(Access.parse("experiment:update"));
        RouteTable newest = file.table(MlflowVersion.parse("3.16.0"), null);
        assertThat(newest.lookup("POST", "/api/2.0/mlflow/things/create").get().access()).isEqualTo(Access.parse("server:update"));
        assertThatThrownBy(() -> file.table(MlflowVersion.parse("3.17.0"), null)).hasMessageContaining("does not cover MLflow 3.17.0");
    }

    @Test
    void rejectsRangesThatOverlapHoldNothingOrAreMalformed() {
        assertThatThrownBy(() -> parse("MLFLOW-VERSIONS 3.14.0 3.15.0\nGET /x public mlflow>=3.14.0\nGET /x signed-in mlflow<3.15.0"))
                .hasMessageContaining("line 3: route listed twice for the same releases").hasMessageContaining("also line 2");
        assertThatThrownBy(() -> parse("MLFLOW-VERSIONS 3.14.0\nGET /x public mlflow>=3.15.0"))
                .hasMessageContaining("line 2: its range mlflow>=3.15.0 holds none of the releases");
        assertThatThrownBy(() -> parse("MLFLOW-VERSIONS 3.14.0\nGET /x public mlflow>=3.15.0,<3.15.0"))
                .hasMessageContaining("line 2").hasMessageContaining("holds no release");
        assertThatThrownBy(() -> parse("MLFLOW-VERSIONS 3.14.0\nGET /x public mlflow<=3.15.0"))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> parse("MLFLOW-VERSIONS 3.14.0 3.14.0\nGET /x public"))
                .hasMessageContaining("line 1").hasMessageContaining("listed twice");
        assertThatThrownBy(() -> parse("MLFLOW-VERSIONS 3.18.0rc1\nGET /x public"))
                .hasMessageContaining("line 1").hasMessageContaining("not an MLflow release number");
        assertThatThrownBy(() -> parse("MLFLOW-VERSIONS 3.18.0\nEXTENDS 3.18.0\nGET /x public"))
                .hasMessageContaining("line 2: a table cannot extend a release it covers itself");
    }

    @Test
    void theBuiltInTableCoversEveryReleaseFromTheOldestSupportedOne() {
        RouteTableFile builtIn = RouteTableFile.builtIn();
        assertThat(builtIn.versions()).extracting(String::valueOf).startsWith("3.14.0").contains("3.17.2");
        assertThat(builtIn.base()).isEmpty();
        assertThat(RouteTable.mlflow().mlflowVersion()).isEqualTo(builtIn.versions().get(builtIn.versions().size() - 1));
    }

    @Test
    void readsWhoSaysWhoDidSomething() {
        Route create = TABLE.lookup("POST", "/api/2.0/mlflow/runs/create").orElseThrow();
        assertThat(create.authors()).containsExactly(
                new Author(new RequestField(RequestField.Source.REQUEST, "user_id"), Author.Form.USER, null, false),
                new Author(new RequestField(RequestField.Source.REQUEST, "tags[]"), Author.Form.TAG_LIST, "mlflow.user", false));
        Route deleteTag = TABLE.lookup("DELETE", "/api/2.0/mlflow/logged-models/m-1/tags/mlflow.user").orElseThrow();
        assertThat(deleteTag.authors()).containsExactly(
                new Author(new RequestField(RequestField.Source.PATH, "tag_key"), Author.Form.TAG_KEY, "mlflow.user", true));
        Route assessment = TABLE.lookup("POST", "/api/3.0/mlflow/traces/tr-1/assessments").orElseThrow();
        assertThat(assessment.authors()).containsExactly(
                new Author(new RequestField(RequestField.Source.REQUEST, "assessment.source"), Author.Form.SOURCE, null, false));
    }

    /** The gateway rewrites author fields after the check: none may be a field the check reads. */
    @Test
    void authorFieldsAreNeverFieldsTheCheckReads() {
        for (Route route : TABLE.routes()) {
            for (Author author : route.authors()) {
                if (author.form() == Author.Form.TAG_KEY) {
                    continue;
                }
                String path = author.path().replace("[]", "");
                route.ids().forEach(id -> assertThat(id.name().replace("[]", "")).as(route.operation()).doesNotStartWith(path));
                route.references().forEach(reference -> {
                    String field = reference.field().name().replace("[]", "").replace("{}", "");
                    boolean tagKeys = author.form() == Author.Form.TAG_MAP && field.equals(path)
                            || author.form() == Author.Form.TAG_LIST && field.equals(path + ".key");
                    if (tagKeys) {
                        return; // the tags' keys (REFS ">tag"), read by the check and kept: only a tag's value changes
                    }
                    assertThat(field).as(route.operation()).doesNotStartWith(path);
                });
            }
        }
    }

    @Test
    void rejectsMalformedWhoColumns() {
        assertThatThrownBy(() -> parse("POST /x experiment:update - - key@mlflow.user>caller"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only refused");
        assertThatThrownBy(() -> parse("POST /x experiment:update - - user_id>maybe"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("caller or refused");
        assertThatThrownBy(() -> parse("POST /x experiment:update - - user_id"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("POST /x experiment:update - - header:X-User>caller"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON body");
        assertThatThrownBy(() -> parse("GET /x experiment:read - - user_id>caller"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GET");
        assertThatThrownBy(() -> parse("POST /x experiment:update - - a.source@HUMAN>refused"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void prefersStaticSegmentsOverVariables() throws Exception {
        RouteTable table = parse("""
                MLFLOW-VERSIONS 3.17.2
                GET /things/<path:rest>      experiment:read
                GET /things/<id>/files       experiment:update
                GET /things/special/files    server:read
                """);
        assertThat(table.lookup("GET", "/things/special/files").get().access()).isEqualTo(Access.parse("server:read"));
        assertThat(table.lookup("GET", "/things/7/files").get().access()).isEqualTo(Access.parse("experiment:update"));
        assertThat(table.lookup("GET", "/things/7/other").get().access()).isEqualTo(Access.parse("experiment:read"));
    }

    private static RouteTable parse(String text) throws Exception {
        return RouteTable.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }
}
