package io.github.mlflowkeycloak.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.github.mlflowkeycloak.route.Route;
import io.github.mlflowkeycloak.route.RouteTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectIdsTest {

    private static final RouteTable TABLE = RouteTable.mlflow();

    @Test
    void readsAGetFromItsQueryString() throws Exception {
        assertThat(read("GET", "/api/2.0/mlflow/runs/get?run_id=r1", null)).containsEntry("run_id", List.of("r1"));
    }

    @Test
    void readsAGetWithoutQueryStringFromItsBody() throws Exception {
        assertThat(read("GET", "/api/2.0/mlflow/runs/get", "{\"run_id\": \"r1\"}")).containsEntry("run_id", List.of("r1"));
        assertThat(read("GET", "/api/2.0/mlflow/runs/get?", "{\"run_id\": \"r1\"}")).containsEntry("run_id", List.of("r1"));
        assertThat(read("GET", "/api/2.0/mlflow/runs/get?&&", "{\"run_id\": \"r1\"}")).containsEntry("run_id", List.of("r1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "DELETE", "PATCH", "PUT", "HEAD"})
    void readsEveryOtherMethodFromItsBodyWhateverTheContentType(String method) throws Exception {
        Route route = route("POST", "/api/2.0/mlflow/runs/delete");
        MlflowRequest request = new MlflowRequest(method, "/api/2.0/mlflow/runs/delete", name -> List.of(),
                "{\"run_id\": \"r1\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(ObjectIds.read(route, "/api/2.0/mlflow/runs/delete", request)).containsEntry("run_id", List.of("r1"));
    }

    @Test
    void readsCamelCaseAsProtobufDoes() throws Exception {
        assertThat(read("POST", "/api/2.0/mlflow/runs/delete", "{\"runId\": \"r1\"}")).containsEntry("run_id", List.of("r1"));
    }

    @Test
    void readsDoubleEncodedJsonAsOlderClientsSendIt() throws Exception {
        assertThat(read("POST", "/api/2.0/mlflow/runs/delete", "\"{\\\"run_id\\\": \\\"r1\\\"}\""))
                .containsEntry("run_id", List.of("r1"));
    }

    @Test
    void readsAnEmptyOrNullBodyAsNoIds() throws Exception {
        assertThat(read("POST", "/api/2.0/mlflow/runs/delete", "")).isEmpty();
        assertThat(read("POST", "/api/2.0/mlflow/runs/delete", " null ")).isEmpty();
        assertThat(read("POST", "/api/2.0/mlflow/runs/delete", "{}")).isEmpty();
    }

    @Test
    void readsNanAsPythonsJsonDoesButOnlyWhereParseDictTakesIt() throws Exception {
        // A double takes NaN quoted, as MessageToJson writes it; an unknown field takes any JSON.
        assertThat(read("POST", "/api/2.0/mlflow/runs/log-metric", "{\"run_id\": \"r1\", \"value\": \"NaN\", \"x\": NaN}"))
                .containsEntry("run_id", List.of("r1"));
        assertThatThrownBy(() -> read("POST", "/api/2.0/mlflow/runs/log-metric", "{\"run_id\": \"r1\", \"value\": NaN}"))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("'value'");
    }

    @Test
    void readsRepeatedIdsAsAList() throws Exception {
        assertThat(read("GET", "/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=a&run_ids=b", null))
                .containsEntry("run_ids", List.of("a", "b"));
        assertThat(read("POST", "/api/2.0/mlflow/runs/search", "{\"experiment_ids\": [\"1\", \"2\"]}"))
                .containsEntry("experiment_ids", List.of("1", "2"));
    }

    @Test
    void readsPathVariablesQueryOnlyAndHeaderIds() throws Exception {
        Route logged = route("GET", "/ajax-api/2.0/mlflow/logged-models/m-1/artifacts/files");
        MlflowRequest request = new MlflowRequest("GET",
                "/ajax-api/2.0/mlflow/logged-models/m-1/artifacts/files?artifact_file_path=a.txt", name -> List.of(), null);
        assertThat(ObjectIds.read(logged, "/ajax-api/2.0/mlflow/logged-models/m-1/artifacts/files", request))
                .containsEntry("model_id", List.of("m-1"))
                .containsEntry("artifact_file_path", List.of("a.txt"));

        Route otlp = route("POST", "/v1/traces");
        MlflowRequest export = new MlflowRequest("POST", "/v1/traces",
                name -> switch (name) {
                    case "x-mlflow-experiment-id" -> List.of("7");
                    case ObjectIds.ORIGINAL_CONTENT_TYPE -> List.of("application/x-protobuf");
                    default -> List.of();
                }, new byte[] {0x0a, 0x00});
        assertThat(ObjectIds.read(otlp, "/v1/traces", export)).containsEntry("x-mlflow-experiment-id", List.of("7"));
    }

    @Test
    void readsTheTracesOfAnOtlpExportAsItsContentTypeSays() throws Exception {
        Route otlp = route("POST", "/v1/traces");
        byte[] json = ("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"0123456789abcdef0123456789abcdef\","
                + " \"spanId\": \"0123456789abcdef\"}]}]}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        MlflowRequest export = new MlflowRequest("POST", "/v1/traces", name -> switch (name) {
            case "x-mlflow-run-id" -> List.of("r1");
            case ObjectIds.ORIGINAL_CONTENT_TYPE -> List.of("application/json");
            default -> List.of();
        }, json);
        assertThat(ObjectIds.readAll(otlp, "/v1/traces", export).references())
                .containsEntry("trace_ids", List.of("tr-0123456789abcdef0123456789abcdef"))
                .containsEntry("x-mlflow-run-id", List.of("r1"));
        MlflowRequest untyped = new MlflowRequest("POST", "/v1/traces", name -> List.of(), json);
        assertThatThrownBy(() -> ObjectIds.readAll(otlp, "/v1/traces", untyped)).isInstanceOf(BadRequestException.class);
    }

    @Test
    void aParameterMlflowReadsAsAListMayBeRepeated() throws Exception {
        assertThat(read("GET", "/ajax-api/2.0/mlflow/metrics/get-history-bulk?run_id=r1&run_id=r2&metric_key=loss", null))
                .containsEntry("run_id", List.of("r1", "r2"));
    }

    @Test
    void aQueryOnlyHandlerNeverReadsTheBody() throws Exception {
        assertThat(read("GET", "/get-artifact", "{\"run_id\": \"other\"}")).isEmpty();
        assertThat(read("POST", "/ajax-api/2.0/mlflow/upload-artifact?run_uuid=r1&path=a.txt", "binary, not JSON"))
                .containsEntry("run_uuid", List.of("r1"));
    }

    @ParameterizedTest(name = "{0} {1} body={2}")
    @CsvSource(delimiter = '|', value = {
            // the same field in snake_case and camelCase
            "POST|/api/2.0/mlflow/runs/delete|{\"run_id\": \"a\", \"runId\": \"b\"}",
            "POST|/api/2.0/mlflow/runs/delete|{\"run_id\": \"a\", \"runId\": \"a\"}",
            // a key given twice in the body
            "POST|/api/2.0/mlflow/runs/delete|{\"run_id\": \"a\", \"run_id\": \"b\"}",
            // the query string and the body disagree
            "GET|/api/2.0/mlflow/runs/get?run_id=a|{\"run_id\": \"b\"}",
            "POST|/api/2.0/mlflow/runs/delete?run_id=a|{\"run_id\": \"b\"}",
            "DELETE|/api/2.0/mlflow/registered-models/delete?name=mine|{\"name\": \"theirs\"}",
            "POST|/api/2.0/mlflow/runs/delete?run_id=a|",
            // a key repeated with other values
            "GET|/api/2.0/mlflow/runs/get?run_id=a&run_id=b|",
            // run_id and its legacy alias run_uuid
            "GET|/api/2.0/mlflow/runs/get?run_id=a&run_uuid=b|",
            "POST|/api/2.0/mlflow/runs/set-tag|{\"run_id\": \"a\", \"run_uuid\": \"b\", \"key\": \"k\"}",
            // a body that is not a JSON object, or an id that is not a string
            "POST|/api/2.0/mlflow/runs/delete|{bad",
            "POST|/api/2.0/mlflow/runs/delete|[\"run_id\"]",
            "POST|/api/2.0/mlflow/runs/delete|{\"run_id\": {\"nested\": 1}}",
            "POST|/api/2.0/mlflow/runs/delete|{\"run_id\": \"a\"} trailing",
            "POST|/api/2.0/mlflow/runs/delete|\"not json inside\"",
            // a GET with a query string and a body that is not JSON
            "GET|/api/2.0/mlflow/runs/get?run_id=a|not json",
            // a query string that is not UTF-8
            "GET|/api/2.0/mlflow/runs/get?run_id=%FF|",
    })
    void refusesWhatCouldBeReadTwoWays(String method, String target, String body) {
        assertThatThrownBy(() -> read(method, target, body)).isInstanceOf(BadRequestException.class);
    }

    @ParameterizedTest(name = "{0} {1} body={2}")
    @CsvSource(delimiter = '|', value = {
            // the ids follow a field ParseDict fails on: MLflow would search with no experiment ids
            "POST|/api/3.0/mlflow/datasets/search|{\"max_results\": 1.5, \"experiment_ids\": [\"1\"]}",
            "POST|/api/3.0/mlflow/issues/search|{\"max_results\": \"+INF\", \"experiment_id\": \"1\"}",
            "GET|/api/3.0/mlflow/datasets/search?max_results=abc&experiment_ids=1|",
            // routes without ids are checked as well
            "GET|/api/2.0/mlflow/experiments/search?max_results=abc|",
            "POST|/api/2.0/mlflow/experiments/search|{\"view_type\": 99}",
            "HEAD|/api/2.0/mlflow/experiments/search|{\"max_results\": true}",
    })
    void refusesWhatMlflowWouldParseOnlyInPart(String method, String target, String body) {
        assertThatThrownBy(() -> read(method, target, body)).isInstanceOf(BadRequestException.class)
                .hasMessageMatching(".*'(max_results|view_type)'.*");
    }

    @Test
    void acceptsTheSameIdGivenTwiceAlike() throws Exception {
        assertThat(read("GET", "/api/2.0/mlflow/runs/get?run_id=a&run_id=a", "{\"run_id\": \"a\"}"))
                .containsEntry("run_id", List.of("a"));
        assertThat(read("GET", "/api/2.0/mlflow/runs/get?run_id=a&run_uuid=a", null))
                .containsEntry("run_uuid", List.of("a"));
    }

    @Test
    void decodesTheQueryStringAsWerkzeugDoes() throws Exception {
        assertThat(read("GET", "/api/2.0/mlflow/registered-models/get?name=my+model%2Fv%C3%A9", null))
                .containsEntry("name", List.of("my model/vé"));
        assertThat(read("GET", "/api/2.0/mlflow/registered-models/get?name=100%", null))
                .containsEntry("name", List.of("100%"));
        assertThat(read("GET", "/api/2.0/mlflow/registered-models/get?name", null))
                .containsEntry("name", List.of(""));
    }

    @Test
    void readsNestedIdsInSnakeOrCamelCaseAtEveryLevel() throws Exception {
        String field = "trace.trace_info.trace_location.mlflow_experiment.experiment_id";
        assertThat(read("POST", "/api/3.0/mlflow/traces",
                "{\"trace\": {\"trace_info\": {\"trace_location\": {\"mlflow_experiment\": {\"experiment_id\": \"7\"}}}}}"))
                .containsEntry(field, List.of("7"));
        assertThat(read("POST", "/api/3.0/mlflow/traces",
                "{\"trace\": {\"traceInfo\": {\"traceLocation\": {\"mlflowExperiment\": {\"experimentId\": \"7\"}}}}}"))
                .containsEntry(field, List.of("7"));
        assertThatThrownBy(() -> read("POST", "/api/3.0/mlflow/traces",
                "{\"trace\": {\"trace_info\": {}, \"traceInfo\": {}}}")).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> read("POST", "/api/3.0/mlflow/traces", "{\"trace\": \"7\"}"))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void readsAnIdFromEachObjectOfAList() throws Exception {
        assertThat(read("POST", "/api/3.0/mlflow/traces/search", "{\"locations\": ["
                + "{\"mlflow_experiment\": {\"experiment_id\": \"1\"}}, {\"mlflowExperiment\": {\"experimentId\": \"2\"}},"
                + " {\"type\": \"OTHER\"}]}"))
                .containsEntry("locations[].mlflow_experiment.experiment_id", List.of("1", "2"));
        assertThatThrownBy(() -> read("POST", "/api/3.0/mlflow/traces/search", "{\"locations\": {\"mlflow_experiment\": {}}}"))
                .isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> read("POST", "/api/3.0/mlflow/traces/search", "{\"locations\": [\"1\"]}"))
                .isInstanceOf(BadRequestException.class);
    }

    private static Map<String, List<String>> read(String method, String target, String body) throws Exception {
        int question = target.indexOf('?');
        Route route = route(method, question < 0 ? target : target.substring(0, question));
        return ObjectIds.read(route, question < 0 ? target : target.substring(0, question), new MlflowRequest(method, target, name -> List.of(),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
    }

    private static Route route(String method, String path) {
        return TABLE.lookup(method, path).orElseThrow(() -> new AssertionError("no route " + method + " " + path));
    }
}
