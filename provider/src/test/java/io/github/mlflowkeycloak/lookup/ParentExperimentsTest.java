package io.github.mlflowkeycloak.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a stand-in for MLflow's runs/get that knows one run, and counts what it is asked. */
class ParentExperimentsTest {

    private static final String KNOWN_RUN = "abc";

    private HttpServer mlflow;
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong now = new AtomicLong(1_000_000);
    private ParentExperiments parents;

    @BeforeEach
    void startMlflow() throws IOException {
        mlflow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mlflow.createContext("/api/2.0/mlflow/runs/get", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            asked.add(query);
            boolean known = ("run_id=" + KNOWN_RUN).equals(query);
            byte[] body = (known ? "{\"run\": {\"info\": {\"experiment_id\": \"7\"}}}" : "{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(known ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        mlflow.start();
        parents = new ParentExperiments(new MlflowApi("http://127.0.0.1:" + mlflow.getAddress().getPort()), 100, 10_000, now::get);
    }

    @AfterEach
    void stopMlflow() {
        mlflow.stop(0);
    }

    @Test
    void anExistingRunIsAskedOnceAndKept() throws Exception {
        assertThat(parents.of(ParentExperiments.Child.RUN, KNOWN_RUN)).contains("7");
        now.addAndGet(1_000_000);
        assertThat(parents.of(ParentExperiments.Child.RUN, KNOWN_RUN)).contains("7");
        assertThat(asked).hasSize(1);
    }

    @Test
    void aMissingRunIsRememberedUntilItsTimeIsUp() throws Exception {
        assertThat(parents.of(ParentExperiments.Child.RUN, "made-up")).isEmpty();
        now.addAndGet(9_999);
        assertThat(parents.of(ParentExperiments.Child.RUN, "made-up")).isEmpty();
        assertThat(asked).hasSize(1);
        now.addAndGet(1);
        assertThat(parents.of(ParentExperiments.Child.RUN, "made-up")).isEmpty();
        assertThat(asked).hasSize(2);
    }

    /** A create that names its new object's id must see an object made since: it asks again. */
    @Test
    void ofNowAsksAgainAndForgetsTheAbsence() throws Exception {
        assertThat(parents.of(ParentExperiments.Child.RUN, "made-up")).isEmpty();
        assertThat(parents.ofNow(ParentExperiments.Child.RUN, "made-up")).isEmpty();
        assertThat(asked).hasSize(2);
        assertThat(parents.of(ParentExperiments.Child.RUN, "made-up")).isEmpty();
        assertThat(asked).hasSize(3);
    }

    @Test
    void withoutATimeMissingRunsAreAlwaysAsked() throws Exception {
        ParentExperiments asking = new ParentExperiments(new MlflowApi("http://127.0.0.1:" + mlflow.getAddress().getPort()), 100, 0);
        asking.of(ParentExperiments.Child.RUN, "made-up");
        asking.of(ParentExperiments.Child.RUN, "made-up");
        assertThat(asked).hasSize(2);
    }
}
