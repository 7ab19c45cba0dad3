package io.github.mlflowkeycloak.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactPathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "model", "model/model.pkl", "1/abc/artifacts/a.txt", "a..b/c", ".hidden/x", "x/v1.0:latest",
            "1/r/artifacts/my file.txt", "1/r/file:x"})
    void acceptsRelativePaths(String path) {
        assertThat(ArtifactPaths.isSafe(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../secret", "a/../../b", "a/..", ".", "./a", "a/./b", "/etc/passwd", "file:/etc/passwd",
            "file:///etc/passwd", "s3://bucket/x", "C:/windows", "a\\..\\b", "a\0b"})
    void refusesPathsThatLeaveTheirPlace(String path) {
        assertThat(ArtifactPaths.isSafe(path)).isFalse();
    }

    @Test
    void looksOnlyAtArtifactPathFields() {
        assertThat(ArtifactPaths.firstUnsafe(Map.of("run_id", List.of("../x")))).isNull();
        assertThat(ArtifactPaths.firstUnsafe(Map.of("path", List.of("ok", "../x")))).isEqualTo("../x");
        assertThat(ArtifactPaths.firstUnsafe(Map.of("artifact_file_path", List.of("/abs")))).isEqualTo("/abs");
    }
}
