package io.github.mlflowkeycloak.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowkeycloak.attribution.Authors;
import io.github.mlflowkeycloak.route.RequestPath;
import io.github.mlflowkeycloak.route.Route;
import io.github.mlflowkeycloak.route.RouteTable;
import io.github.mlflowkeycloak.stack.VenvPython;
import org.junit.jupiter.api.Test;

/**
 * The gateway never refuses a request as MLflow's own client writes it: the requests of a range of
 * MlflowClient calls, as mlflow_client_requests.py records them on the wire, are all read, and
 * none is refused for the author it names.
 */
class ClientRequestsIT {

    private static final RouteTable TABLE = RouteTable.mlflow();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyRequestTheMlflowClientSendsIsRead() throws Exception {
        List<String> refused = new ArrayList<>();
        int withMessage = 0;
        List<String> recorded = VenvPython.run("mlflow_client_requests.py", List.of());
        for (String line : recorded) {
            JsonNode sent = JSON.readTree(line);
            String method = sent.get("method").textValue();
            String target = sent.get("target").textValue();
            byte[] body = sent.get("body").isNull() ? null : Base64.getDecoder().decode(sent.get("body").textValue());
            String path = RequestPath.decode(target).orElseThrow();
            Optional<Route> route = TABLE.lookup(method, path);
            if (route.isEmpty()) {
                refused.add(method + " " + target + ": no route");
                continue;
            }
            withMessage += MlflowMessages.of(route.get()) != null ? 1 : 0;
            try {
                MlflowRequest request = new MlflowRequest(method, target, name -> List.of(), body);
                ObjectIds.Named named = ObjectIds.readAll(route.get(), path, request);
                // Nor does it refuse one for who it says did it: the client never changes an existing object's author.
                Authors.forward(route.get(), request, named, "dana");
            } catch (BadRequestException e) {
                refused.add(method + " " + target + " " + (body == null ? "" : new String(body, StandardCharsets.UTF_8)) + ": " + e.getMessage());
            }
        }
        assertThat(refused).as("requests of the mlflow client the gateway refuses").isEmpty();
        assertThat(withMessage).as("recorded requests with a protobuf request message").isGreaterThan(60);
    }
}
