package io.github.mlflowkeycloak.request;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import io.github.mlflowkeycloak.route.RouteTable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ParseDict's rules, on the real request messages of mlflow-messages-*.json. Each refused body is
 * one that ParseDict parses only up to the field named in the answer (or one the mlflow client
 * never sends, where ProtoJson is stricter); each accepted one ParseDict parses completely.
 */
class ProtoJsonTest {

    private static final RouteTable TABLE = RouteTable.mlflow();
    private static final String DATASETS = "POST /api/3.0/mlflow/datasets/search";
    private static final String EXPERIMENTS = "POST /api/2.0/mlflow/experiments/search";
    private static final String METRIC = "POST /api/2.0/mlflow/runs/log-metric";
    private static final String TRACE = "POST /api/3.0/mlflow/traces";
    private static final String ASSESSMENT = "POST /api/3.0/mlflow/traces/t/assessments";
    private static final String UPDATE_ASSESSMENT = "PATCH /api/3.0/mlflow/traces/t/assessments/a";
    private static final String ENDPOINT = "POST /api/3.0/mlflow/gateway/endpoints/create";
    private static final String SECRET = "POST /api/3.0/mlflow/gateway/secrets/create";

    /** Bodies as the mlflow client writes them (message_to_json), and as ParseDict reads them in full. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "POST /api/2.0/mlflow/runs/log-batch|{\"run_id\":\"r1\",\"metrics\":[{\"key\":\"m\",\"value\":\"NaN\",\"timestamp\":1700000000000,"
                    + "\"step\":3},{\"key\":\"n\",\"value\":\"Infinity\",\"timestamp\":1,\"step\":-1},{\"key\":\"o\",\"value\":1e+300,"
                    + "\"timestamp\":4611686018427387904}],\"params\":[{\"key\":\"p\",\"value\":\"v\"}],\"tags\":[{\"key\":\"t\",\"value\":\"\\u00e9\"}]}",
            "POST /api/2.0/mlflow/runs/search|{\"experiment_ids\":[\"1\",\"2\"],\"run_view_type\":\"ALL\",\"filter\":\"metrics.a > 1\","
                    + "\"max_results\":1000,\"order_by\":[\"x\"]}",
            METRIC + "|{\"key\":\"k\",\"value\":\"-Infinity\",\"timestamp\":5,\"step\":0,\"run_id\":\"r1\",\"model_id\":\"m-1\"}",
            TRACE + "|{\"trace\":{\"trace_info\":{\"trace_id\":\"tr-1\",\"client_request_id\":\"c\",\"trace_location\":{\"type\":"
                    + "\"MLFLOW_EXPERIMENT\",\"mlflow_experiment\":{\"experiment_id\":\"7\"}},\"request_time\":\"2023-11-14T22:13:20.123Z\","
                    + "\"execution_duration\":\"1.500s\",\"state\":\"OK\",\"trace_metadata\":{\"mlflow.user\":\"bob\"},\"tags\":{\"k\":\"v\"},"
                    + "\"request_preview\":\"q\",\"response_preview\":\"r\"}}}",
            ASSESSMENT + "|{\"assessment\":{\"assessment_name\":\"quality\",\"trace_id\":\"tr-1\",\"source\":{\"source_type\":\"HUMAN\","
                    + "\"source_id\":\"bob\"},\"create_time\":\"2023-11-14T22:13:20Z\",\"last_update_time\":\"2023-11-14T22:13:20.001Z\","
                    + "\"feedback\":{\"value\":{\"t\":true,\"a\":[1.0,null,{\"b\":\"c\"}],\"n\":1.5}},\"metadata\":{\"x\":\"y\"}}}",
            UPDATE_ASSESSMENT + "|{\"assessment\":{\"assessment_name\":\"quality\",\"feedback\":{\"value\":\"good\"}},"
                    + "\"update_mask\":\"assessmentName,feedback\"}",
            "POST /api/3.0/mlflow/traces/search|{\"locations\":[{\"type\":\"MLFLOW_EXPERIMENT\",\"mlflow_experiment\":{\"experiment_id\":\"7\"}}],"
                    + "\"max_results\":100,\"order_by\":[\"timestamp_ms DESC\"]}",
            ENDPOINT + "|{\"model_configs\":[{\"model_definition_id\":\"d-1\",\"linkage_type\":\"PRIMARY\",\"weight\":0.25,\"fallback_order\":1}]}",
            // what ParseDict also reads completely: int64 as strings, camelCase, numbers by enum number, nulls, unknown fields
            METRIC + "|{\"runId\":\"r1\",\"value\":1,\"timestamp\":\"-9223372036854775808\",\"step\":\"9223372036854775807\",\"x\":[NaN, {}]}",
            EXPERIMENTS + "|{\"view_type\":3,\"max_results\":null,\"order_by\":null,\"[x\":1,\"filter\":\"\\ud83d\\ude00\"}",
            EXPERIMENTS + "|{\"view_type\":\"A_NAME_A_NEWER_MLFLOW_KNOWS\"}",
            DATASETS + "|{\"max_results\":-2147483648,\"experiment_ids\":[]}",
            TRACE + "|{\"trace\":{\"spans\":[{\"trace_id\":\"AAECAw==\",\"span_id\":\"AAEC\",\"parent_span_id\":\"\",\"kind\":99,"
                    + "\"start_time_unix_nano\":\"18446744073709551615\",\"flags\":4294967295,\"status\":{\"code\":\"STATUS_CODE_OK\"}}]}}",
            TRACE + "|{\"trace\":{\"trace_info\":{\"request_time\":\"2024-02-29T23:59:59.999999999+01:30\",\"execution_duration\":\"-0.5s\"}}}",
            ASSESSMENT + "|{\"assessment\":{\"feedback\":{\"value\":NaN},\"expectation\":null,\"metadata\":{\"\":\"\"}}}",
            ASSESSMENT + "|{\"assessment\":{\"feedback\":{\"value\":[1e400, -Infinity, null, \"x\", {\"a\": {\"b\": [true]}}]}}}",
            SECRET + "|{\"secret_value\":{\"api_key\":\"k\"},\"auth_config\":null}",
            ENDPOINT + "|{\"model_configs\":[{\"weight\":3.4028234663852886e38},{\"weight\":\"1e39\"},{\"weight\":-1}]}",
    })
    void acceptsWhatParseDictReadsCompletely(String route, String body) {
        assertThatCode(() -> validate(route, body)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            // a wrong-typed field before the ids: ParseDict stops there, MLflow acts on no ids at all
            DATASETS + "|{\"max_results\": 1.5, \"experiment_ids\": [\"bob's\"]}|max_results",
            DATASETS + "|{\"max_results\": \"+INF\", \"experiment_ids\": [\"1\"]}|max_results",
            DATASETS + "|{\"max_results\": 2147483648}|max_results",
            DATASETS + "|{\"max_results\": true}|max_results",
            DATASETS + "|{\"experiment_ids\": \"1\"}|experiment_ids",
            DATASETS + "|{\"experiment_ids\": [null]}|experiment_ids[0]",
            DATASETS + "|{\"experiment_ids\": [1]}|experiment_ids[0]",
            DATASETS + "|{\"experimentIds\": [\"1\"], \"experiment_ids\": [\"2\"]}|experiment_ids",
            DATASETS + "|{\"[mlflow.x]\": 1}|[mlflow.x]",
            // integers: ranges, and the forms ParseDict reads but the client never writes
            EXPERIMENTS + "|{\"max_results\": 9223372036854775808}|max_results",
            EXPERIMENTS + "|{\"max_results\": \"-9223372036854775809\"}|max_results",
            EXPERIMENTS + "|{\"max_results\": 1.0}|max_results",
            EXPERIMENTS + "|{\"max_results\": \" 1\"}|max_results",
            EXPERIMENTS + "|{\"max_results\": \"01\"}|max_results",
            EXPERIMENTS + "|{\"max_results\": \"1e3\"}|max_results",
            EXPERIMENTS + "|{\"max_results\": \"1_000\"}|max_results",
            EXPERIMENTS + "|{\"max_results\": \"" + "1234567890123456789012" + "\"}|max_results",
            // enums: a number the closed enum lacks, a number in a string, a float, a bool
            EXPERIMENTS + "|{\"view_type\": 99}|view_type",
            EXPERIMENTS + "|{\"view_type\": \"99\"}|view_type",
            EXPERIMENTS + "|{\"view_type\": \" 2\"}|view_type",
            EXPERIMENTS + "|{\"view_type\": 1.5}|view_type",
            EXPERIMENTS + "|{\"view_type\": true}|view_type",
            TRACE + "|{\"trace\": {\"spans\": [{\"kind\": 2147483648}]}}|trace.spans[0].kind",
            // doubles and floats
            METRIC + "|{\"value\": NaN}|value",
            METRIC + "|{\"value\": Infinity}|value",
            METRIC + "|{\"value\": 1e400}|value",
            METRIC + "|{\"value\": \"nan\"}|value",
            METRIC + "|{\"value\": \"inf\"}|value",
            METRIC + "|{\"value\": true}|value",
            METRIC + "|{\"value\": " + "1" + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                    + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                    + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                    + "000000}|value",
            ENDPOINT + "|{\"model_configs\": [{\"weight\": 3.5e38}]}|model_configs[0].weight",
            // strings, bytes, bools
            METRIC + "|{\"run_id\": 5}|run_id",
            METRIC + "|{\"run_id\": \"\\ud800\"}|run_id",
            METRIC + "|{\"run_id\": \"x\\udc00\"}|run_id",
            METRIC + "|{\"run_id\": [\"a\"]}|run_id",
            TRACE + "|{\"trace\": {\"spans\": [{\"trace_id\": \"A\"}]}}|trace.spans[0].trace_id",
            TRACE + "|{\"trace\": {\"spans\": [{\"trace_id\": \"AB CD\"}]}}|trace.spans[0].trace_id",
            "POST /api/2.0/mlflow/traces/delete-traces|{\"max_traces\": \"true\"}|max_traces",
            // messages, maps, oneofs
            TRACE + "|{\"trace\": \"x\"}|trace",
            TRACE + "|{\"trace\": [\"a\", \"b\"]}|trace",
            TRACE + "|{\"trace\": {\"trace_info\": {\"tags\": []}}}|trace.trace_info.tags",
            TRACE + "|{\"trace\": {\"trace_info\": {\"tags\": {\"k\": 1}}}}|trace.trace_info.tags.k",
            TRACE + "|{\"trace\": {\"trace_info\": {\"tags\": {\"k\": null}}}}|trace.trace_info.tags.k",
            TRACE + "|{\"trace\": {\"trace_info\": {\"tags\": {\"\\udc00\": \"v\"}}}}|trace.trace_info.tags.\\udc00",
            TRACE + "|{\"trace\": {\"spans\": [null]}}|trace.spans[0]",
            TRACE + "|{\"trace\": {\"\\ud800\": 1}}|trace.\\ud800",
            TRACE + "|{\"trace\": {\"traceInfo\": {}, \"trace_info\": {}}}|trace_info",
            ASSESSMENT + "|{\"assessment\": {\"feedback\": {}, \"expectation\": {}}}|assessment.expectation",
            // well-known types
            ASSESSMENT + "|{\"assessment\": {\"create_time\": 5}}|assessment.create_time",
            ASSESSMENT + "|{\"assessment\": {\"create_time\": \"2024-02-30T00:00:00Z\"}}|assessment.create_time",
            ASSESSMENT + "|{\"assessment\": {\"create_time\": \"0000-01-01T00:00:00Z\"}}|assessment.create_time",
            ASSESSMENT + "|{\"assessment\": {\"create_time\": \"9999-12-31T23:59:59-01:00\"}}|assessment.create_time",
            ASSESSMENT + "|{\"assessment\": {\"create_time\": \"2024-01-01T00:00:00.1234567891Z\"}}|assessment.create_time",
            ASSESSMENT + "|{\"assessment\": {\"create_time\": \"2024-1-1T1:2:3Z\"}}|assessment.create_time",
            ASSESSMENT + "|{\"assessment\": {\"feedback\": {\"value\": \"\\ud800\"}}}|assessment.feedback.value",
            ASSESSMENT + "|{\"assessment\": {\"feedback\": {\"value\": {\"\\ud800\": 1}}}}|assessment.feedback.value.\\ud800",
            TRACE + "|{\"trace\": {\"trace_info\": {\"execution_duration\": \" 1s\"}}}|trace.trace_info.execution_duration",
            TRACE + "|{\"trace\": {\"trace_info\": {\"execution_duration\": \"1.9999999999s\"}}}|trace.trace_info.execution_duration",
            TRACE + "|{\"trace\": {\"trace_info\": {\"execution_duration\": \"315576000001s\"}}}|trace.trace_info.execution_duration",
            UPDATE_ASSESSMENT + "|{\"update_mask\": \"assessment_name\"}|update_mask",
            UPDATE_ASSESSMENT + "|{\"update_mask\": [\"a\"]}|update_mask",
    })
    void refusesWhatParseDictReadsOnlyInPart(String route, String body, String field) {
        assertThatThrownBy(() -> validate(route, body)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("'" + field + "'");
    }

    /** A Value inside a Value counts twice towards ParseDict's 100 messages: 50 JSON levels are too deep. */
    @ParameterizedTest
    @ValueSource(ints = {45, 50})
    void countsMessagesAsParseDictDoes(int levels) {
        String body = "{\"assessment\": {\"feedback\": {\"value\": " + "{\"a\": ".repeat(levels) + "1" + "}".repeat(levels) + "}}}";
        if (levels == 45) {
            assertThatCode(() -> validate(ASSESSMENT, body)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> validate(ASSESSMENT, body)).isInstanceOf(BadRequestException.class)
                    .hasMessageContaining("nested deeper than the 100 messages");
        }
    }

    /** A GET is parsed from the dict MLflow builds of its query string: strings, first values, bools. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "/api/2.0/mlflow/experiments/search?max_results=1000&view_type=ACTIVE_ONLY&order_by=a&order_by=b",
            "/api/2.0/mlflow/experiments/search?max_results=5&max_results=abc&maxResults=abc&unknown=x",
            "/api/3.0/mlflow/traces/get?trace_id=tr-1&allow_partial=True",
            "/api/3.0/mlflow/traces/get?trace_id=tr-1&allow_partial=FALSE",
            "/api/3.0/mlflow/datasets/search?experiment_ids=1&experiment_ids=2&max_results=10",
    })
    void acceptsTheQueryStringsTheClientSends(String target) {
        assertThatCode(() -> validateQuery(target)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/api/3.0/mlflow/datasets/search?max_results=abc&experiment_ids=1|max_results",
            "/api/2.0/mlflow/experiments/search?max_results=1.5|max_results",
            "/api/2.0/mlflow/experiments/search?view_type=99|view_type",
            "/api/3.0/mlflow/traces/get?allow_partial=yes|allow_partial",
            "/api/3.0/mlflow/traces/get?allow_partial=fal%C5%BFe|allow_partial",
    })
    void refusesQueryStringsParseDictReadsOnlyInPart(String target, String field) {
        assertThatThrownBy(() -> validateQuery(target)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("'" + field + "'");
    }

    private static ProtoMessage message(String method, String path) {
        return MlflowMessages.of(TABLE.lookup(method, path).orElseThrow(() -> new AssertionError("no route " + method + " " + path)));
    }

    private static void validate(String route, String body) throws BadRequestException {
        String[] parts = route.split(" ");
        ProtoJson.validate(message(parts[0], parts[1]), JsonBody.parse(body.getBytes(StandardCharsets.UTF_8)).object());
    }

    private static void validateQuery(String target) throws BadRequestException {
        int question = target.indexOf('?');
        ProtoMessage message = message("GET", target.substring(0, question));
        ProtoJson.validate(message, ProtoJson.queryObject(message, QueryString.parse(target.substring(question + 1))));
    }
}
