package io.github.mlflowkeycloak.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.mlflowkeycloak.request.BadRequestException;
import io.github.mlflowkeycloak.request.JsonBody;
import io.github.mlflowkeycloak.request.MlflowRequest;
import io.github.mlflowkeycloak.request.ObjectIds;
import io.github.mlflowkeycloak.route.Route;
import io.github.mlflowkeycloak.route.RouteTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorsTest {

    private static final RouteTable TABLE = RouteTable.mlflow();
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final String CALLER = "dana";

    @Test
    void aRunIsCreatedByTheCallerWhateverTheClientSays() throws Exception {
        JsonNode sent = forwarded("POST", "/api/2.0/mlflow/runs/create", """
                {"experiment_id": "1", "user_id": "alice", "start_time": 1700000000000, "run_name": "née",
                 "tags": [{"key": "mlflow.source.name", "value": "train.py"}, {"key": "mlflow.user", "value": "alice"}]}""");
        assertThat(sent.get("user_id").textValue()).isEqualTo(CALLER);
        assertThat(sent.at("/tags/1/value").textValue()).isEqualTo(CALLER);
        assertThat(sent.at("/tags/0/value").textValue()).isEqualTo("train.py");
        assertThat(sent.get("run_name").textValue()).isEqualTo("née");
        assertThat(sent.get("start_time").longValue()).isEqualTo(1700000000000L);
        assertThat(sent.get("experiment_id").textValue()).isEqualTo("1");
    }

    @Test
    void aRequestThatAlreadyNamesTheCallerIsForwardedAsItIs() throws Exception {
        assertThat(forward("POST", "/api/2.0/mlflow/runs/create",
                "{\"experiment_id\": \"1\", \"user_id\": \"dana\", \"tags\": [{\"key\": \"mlflow.user\", \"value\": \"dana\"}]}")).isEmpty();
        assertThat(forward("POST", "/api/2.0/mlflow/runs/create", "{\"experiment_id\": \"1\"}")).isEmpty();
        assertThat(forward("POST", "/api/2.0/mlflow/runs/create", "")).isEmpty();
    }

    @Test
    void camelCaseSpellingsAreRewrittenAsSpelt() throws Exception {
        JsonNode sent = forwarded("POST", "/api/2.0/mlflow/runs/create", "{\"experimentId\": \"1\", \"userId\": \"alice\"}");
        assertThat(sent.get("userId").textValue()).isEqualTo(CALLER);
        assertThat(sent.has("user_id")).isFalse();
    }

    @Test
    void bothSpellingsAreRefused() {
        assertThatThrownBy(() -> forward("POST", "/api/2.0/mlflow/runs/create", "{\"user_id\": \"a\", \"userId\": \"b\"}"))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void theAuthorTagGivenTwiceIsRefused() {
        assertThatThrownBy(() -> forward("POST", "/api/2.0/mlflow/runs/create",
                "{\"tags\": [{\"key\": \"mlflow.user\", \"value\": \"dana\"}, {\"key\": \"mlflow.user\", \"value\": \"alice\"}]}"))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("more than once");
    }

    @Test
    void theAuthorTagOfAnExistingObjectIsNeverSetOrDeleted() throws Exception {
        assertThatThrownBy(() -> forward("POST", "/api/2.0/mlflow/runs/log-batch",
                "{\"run_id\": \"r\", \"tags\": [{\"key\": \"mlflow.user\", \"value\": \"dana\"}]}"))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("mlflow.user");
        assertThat(forward("POST", "/api/2.0/mlflow/runs/log-batch",
                "{\"run_id\": \"r\", \"tags\": [{\"key\": \"team\", \"value\": \"x\"}]}")).isEmpty();
        for (String path : List.of("/api/2.0/mlflow/runs/set-tag", "/api/2.0/mlflow/runs/delete-tag")) {
            assertThatThrownBy(() -> forward("POST", path, "{}", Map.of("key", List.of("mlflow.user"))))
                    .isInstanceOf(BadRequestException.class);
            assertThat(forward("POST", path, "{}", Map.of("key", List.of("mlflow.note")))).isEmpty();
        }
        assertThatThrownBy(() -> forward("PATCH", "/api/3.0/mlflow/datasets/d-1/tags", "{\"tags\": \"{\\\"mlflow.user\\\": \\\"x\\\"}\"}"))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void aTraceAndItsHumanAssessmentsAreTheCallers() throws Exception {
        JsonNode sent = forwarded("POST", "/api/3.0/mlflow/traces", """
                {"trace": {"trace_info": {"trace_id": "tr-1", "tags": {"mlflow.user": "alice", "mlflow.traceName": "t"},
                  "trace_metadata": {"mlflow.trace.user": "end-user-42", "mlflow.user": "alice"},
                  "assessments": [
                    {"assessment_name": "a", "source": {"source_type": "HUMAN", "source_id": "alice"}},
                    {"assessment_name": "b", "source": {"source_type": "LLM_JUDGE", "source_id": "gpt-4o"}},
                    {"assessment_name": "c", "source": {"sourceType": 3, "sourceId": "eval.py"}},
                    {"assessment_name": "d", "source": {"source_type": 1, "source_id": "bob"}},
                    {"assessment_name": "e", "source": {"source_id": "carol"}}]}}}""");
        JsonNode info = sent.at("/trace/trace_info");
        assertThat(info.at("/tags/mlflow.user").textValue()).isEqualTo(CALLER);
        assertThat(info.at("/tags/mlflow.traceName").textValue()).isEqualTo("t");
        // The application's own end user, which MLflow keeps apart from who created the trace.
        assertThat(info.at("/trace_metadata/mlflow.trace.user").textValue()).isEqualTo("end-user-42");
        assertThat(info.at("/trace_metadata/mlflow.user").textValue()).isEqualTo(CALLER);
        assertThat(info.at("/assessments/0/source/source_id").textValue()).isEqualTo(CALLER);
        assertThat(info.at("/assessments/1/source/source_id").textValue()).isEqualTo("gpt-4o");
        assertThat(info.at("/assessments/2/source/sourceId").textValue()).isEqualTo("eval.py");
        assertThat(info.at("/assessments/3/source/source_id").textValue()).isEqualTo(CALLER);
        assertThat(info.at("/assessments/4/source/source_id").textValue()).isEqualTo(CALLER);
    }

    @Test
    void datasetTagsAndRecordsHeldAsJsonTextAreRewrittenInside() throws Exception {
        JsonNode created = forwarded("POST", "/api/3.0/mlflow/datasets/create",
                "{\"name\": \"d\", \"tags\": \"{\\\"mlflow.user\\\": \\\"alice\\\", \\\"team\\\": \\\"a\\\"}\"}");
        JsonNode tags = JSON.readTree(created.get("tags").textValue());
        assertThat(tags.get("mlflow.user").textValue()).isEqualTo(CALLER);
        assertThat(tags.get("team").textValue()).isEqualTo("a");

        JsonNode upserted = forwarded("POST", "/api/3.0/mlflow/datasets/d-1/records",
                "{\"records\": \"[{\\\"inputs\\\": {\\\"q\\\": 1}, \\\"tags\\\": {\\\"mlflow.user\\\": \\\"alice\\\"}}, {\\\"inputs\\\": {}}]\"}");
        JsonNode records = JSON.readTree(upserted.get("records").textValue());
        assertThat(records.at("/0/tags/mlflow.user").textValue()).isEqualTo(CALLER);
        assertThat(records.at("/0/inputs/q").intValue()).isEqualTo(1);
        assertThat(records.get(1).has("tags")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"name\": \"d\", \"tags\": \"{\\\"mlflow.user\\\": \\\"a\\\", \\\"mlflow.user\\\": \\\"b\\\"}\"}", // a key twice in the text
            "{\"name\": \"d\", \"tags\": \"not json\"}",
            "{\"name\": \"d\", \"tags\": \"\\\"{}\\\"\"}", // JSON text of a string
            "{\"name\": \"d\", \"tags\": \"[1]\"}",
    })
    void jsonTextThatCannotBeReadAsMlflowReadsItIsRefused(String body) {
        assertThatThrownBy(() -> forward("POST", "/api/3.0/mlflow/datasets/create", body)).isInstanceOf(BadRequestException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"tags\": {\"mlflow.user\": \"a\"}}",
            "{\"tags\": [\"mlflow.user\"]}",
            "{\"tags\": \"mlflow.user\"}",
            "[]",
            "{\"user_id\": \"a\", \"user_id\": \"b\"}",
    })
    void wrongShapesAreRefused(String body) {
        assertThatThrownBy(() -> forward("POST", "/ajax-api/2.0/mlflow/runs/create-promptlab-run", body))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void aUserNameOfAnotherTypeIsReplacedByTheCallersName() throws Exception {
        assertThat(forwarded("POST", "/ajax-api/2.0/mlflow/runs/create-promptlab-run", "{\"user_id\": {\"name\": \"alice\"}}")
                .get("user_id").textValue()).isEqualTo(CALLER);
        assertThat(forwarded("POST", "/api/3.0/mlflow/issues", "{\"created_by\": 7}").get("created_by").textValue()).isEqualTo(CALLER);
    }

    @Test
    void everythingElseReachesMlflowAsPythonReadsIt() throws Exception {
        String body = "{\"user_id\": \"alice\", \"start_time\": 123456789012345678901234567890, \"a\": NaN, \"b\": -Infinity,"
                + " \"c\": 1e400, \"d\": -0.0, \"e\": 0.1, \"f\": 1.0, \"g\": \"\\u0000\\n\\\"\\u00e9\\ud83d\\ude00\", \"h\": [true, null, {}]}";
        String sent = new String(forward("POST", "/ajax-api/2.0/mlflow/runs/create-promptlab-run", body).orElseThrow(), StandardCharsets.UTF_8);
        assertThat(sent).contains("123456789012345678901234567890", "NaN", "-Infinity", "\"c\":Infinity", "-0.0", "0.1", "1.0",
                "\"h\":[true,null,{}]");
        JsonNode read = JSON.readTree(sent);
        assertThat(read.get("g").textValue()).isEqualTo("\u0000\n\"é😀");
    }

    @Test
    void aLoneSurrogateReachesMlflowAsItWasSent() throws Exception {
        byte[] sent = forward("POST", "/ajax-api/2.0/mlflow/runs/create-promptlab-run",
                "{\"user_id\": \"alice\", \"run_name\": \"\\ud800x\"}").orElseThrow();
        assertThat(new String(sent, StandardCharsets.US_ASCII)).contains("\"run_name\":\"\\uD800x\"");
    }

    @Test
    void aRequestTooLargeOnceRewrittenIsRefused() {
        StringBuilder records = new StringBuilder("[");
        int count = (8 * 1024 * 1024 - 100) / 34;
        for (int i = 0; i < count; i++) {
            records.append(i == 0 ? "" : ",").append("{\\\"tags\\\":{\\\"mlflow.user\\\":\\\"\\\"}}");
        }
        String body = "{\"records\": \"" + records + "]\"}";
        assertThat(body.length()).isLessThan(8 * 1024 * 1024);
        assertThatThrownBy(() -> forward("POST", "/api/3.0/mlflow/datasets/d-1/records", body))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("too large");
    }

    @Test
    void theBodyTheCheckReadIsLeftAsItWas() throws Exception {
        String text = "{\"experiment_id\": \"1\", \"user_id\": \"alice\"}";
        JsonBody read = JsonBody.parse(text.getBytes(StandardCharsets.UTF_8));
        Route route = TABLE.lookup("POST", "/api/2.0/mlflow/runs/create").orElseThrow();
        MlflowRequest request = new MlflowRequest("POST", "/api/2.0/mlflow/runs/create", name -> List.of(), text.getBytes(StandardCharsets.UTF_8));
        byte[] sent = Authors.forward(route, request, new ObjectIds.Named(Map.of(), Map.of(), Map.of(), read), CALLER).orElseThrow();
        assertThat(JSON.readTree(sent).get("user_id").textValue()).isEqualTo(CALLER);
        assertThat(read.values("user_id")).containsExactly("alice");
    }

    @Test
    void routesWithoutAuthorsForwardTheirBodyAsItIs() throws Exception {
        assertThat(forward("POST", "/api/2.0/mlflow/runs/log-metric", "{\"run_id\": \"r\", \"user_id\": \"alice\"}")).isEmpty();
    }

    private static JsonNode forwarded(String method, String path, String body) throws Exception {
        return JSON.readTree(forward(method, path, body).orElseThrow());
    }

    private static Optional<byte[]> forward(String method, String path, String body) throws BadRequestException {
        return forward(method, path, body, Map.of());
    }

    private static Optional<byte[]> forward(String method, String path, String body, Map<String, List<String>> tagKeys)
            throws BadRequestException {
        Route route = TABLE.lookup(method, path).orElseThrow();
        MlflowRequest request = new MlflowRequest(method, path, name -> List.of(), body.getBytes(StandardCharsets.UTF_8));
        return Authors.forward(route, request, new ObjectIds.Named(Map.of(), Map.of(), tagKeys, null), CALLER);
    }
}
