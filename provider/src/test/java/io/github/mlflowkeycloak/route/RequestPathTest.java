package io.github.mlflowkeycloak.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPathTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/, /",
            "/health, /health",
            "/api/2.0/mlflow/runs/get?run_id=abc, /api/2.0/mlflow/runs/get",
            "/api/2.0/mlflow/runs/get?x=/../y, /api/2.0/mlflow/runs/get",
            "/get-artifact?path=a%2Fb&run_id=1, /get-artifact",
            "/api/2.0/mlflow-artifacts/artifacts/0/r/artifacts/my%20file.txt, /api/2.0/mlflow-artifacts/artifacts/0/r/artifacts/my file.txt",
            "/api/2.0/mlflow-artifacts/artifacts/0/r/artifacts/%C3%A9t%C3%A9.txt, /api/2.0/mlflow-artifacts/artifacts/0/r/artifacts/été.txt",
            "/api/2.0/mlflow/%72uns/get, /api/2.0/mlflow/runs/get",
            "/a/.hidden/b, /a/.hidden/b",
            "/a/..b, /a/..b",
            "/api/2.0/mlflow/runs/get/, /api/2.0/mlflow/runs/get/",
            "/ajax-api/3.0/jobs/, /ajax-api/3.0/jobs/",
    })
    void decodesCanonicalPaths(String target, String expected) {
        assertThat(RequestPath.decode(target)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "health",
            "*",
            "http://evil.example/health",
            "//api/2.0/mlflow/runs/get",
            "/api/2.0//mlflow/runs/get",
            "/api/2.0/mlflow/experiments/../runs/delete",
            "/api/2.0/mlflow/./runs/delete",
            "/api/2.0/mlflow/runs/delete/..",
            "/api/2.0/mlflow/experiments/%2E%2E/runs/delete",
            "/api/2.0/mlflow/experiments/%2e/runs/delete",
            "/api/2.0/mlflow%2Fruns/delete",
            "/api/2.0/mlflow%2fruns/delete",
            "/api/2.0/mlflow%5Cruns/delete",
            "/api/2.0/mlflow\\runs/delete",
            "/api/2.0/mlflow/runs/get%00",
            "/api/2.0/mlflow/runs/get%0d%0aX: y",
            "/api/2.0/mlflow/runs/get%",
            "/api/2.0/mlflow/runs/get%4",
            "/api/2.0/mlflow/runs/get%zz",
            "/api/2.0/mlflow/runs/get%C3",
            "/api/2.0/mlflow/runs/get%FF",
            "/api/2.0/mlflow/runs/get#frag",
            "/api/2.0/mlflow/runs/g\u00e9t",
    })
    void refusesWhatCouldBeReadAsAnotherPath(String target) {
        assertThat(RequestPath.decode(target)).isEmpty();
    }

    @Test
    void refusesNull() {
        assertThat(RequestPath.decode(null)).isEmpty();
    }
}
