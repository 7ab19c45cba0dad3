package io.github.mlflowkeycloak.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathPatternTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "/, /, true",
            "/, /x, false",
            "/health, /health, true",
            "/health, /health/, false",
            "/health, /healthz, false",
            "/health, /Health, false",
            "/static-files/<path:path>, /static-files/js/main.js, true",
            "/static-files/<path:path>, /static-files/a, true",
            "/static-files/<path:path>, /static-files/, false",
            "/static-files/<path:path>, /static-files, false",
            "/static-files/<path:path>, /static-filesX/a, false",
            "/a/<id>/c, /a/42/c, true",
            "/a/<id>/c, /a/42/c/, false",
            "/a/<id>/c, /a//c, false",
            "/a/<id>/c, /a/4/2/c, false",
            "/a/<id>/c, /a/42, false",
            "/api/2.0/mlflow-artifacts/artifacts/<path:p>, /api/2.0/mlflow-artifacts/artifacts/0/r/artifacts/m.txt, true",
            "/api/2.0/mlflow-artifacts/artifacts/<path:p>, /api/2.0/mlflow-artifacts/artifacts, false",
            "/ajax-api/3.0/jobs/, /ajax-api/3.0/jobs/, true",
            "/ajax-api/3.0/jobs/, /ajax-api/3.0/jobs, false",
            "/m/<e>:generateContent, /m/gpt:generateContent, true",
            "/m/<e>:generateContent, /m/:generateContent, false",
            "/m/<e>:generateContent, /m/gpt:streamGenerateContent, false",
            "/m/<e>:generateContent, /m/gpt, false",
            "/s/<path:name>/aliases/<path:alias>, /s/a/b/aliases/c/d, true",
            "/s/<path:name>/aliases/<path:alias>, /s/a/aliases, false",
            "/s/<path:name>/aliases/<path:alias>, /s/aliases/x, false",
            "/s/<path:name>, /s/a/b/c, true",
    })
    void matchesLikeWerkzeug(String pattern, String path, boolean expected) {
        assertThat(PathPattern.parse(pattern).matches(path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"/s/<path:name>/aliases/<path:alias>|/s/a/aliases/b/aliases/c|a/aliases/b|c",
            "/m/<e>:generateContent|/m/x:generateContent|x|",
            "/a/<id>/c|/a/42/c|42|"})
    void capturesVariablesGreedilyLikeStarlette(String pattern, String path, String first, String second) {
        var values = PathPattern.parse(pattern).variables(path);
        assertThat(values.values()).first().isEqualTo(first);
        if (second != null) {
            assertThat(values.values()).last().isEqualTo(second);
        }
    }

    @ParameterizedTest
    @CsvSource({"health", "/a//b", "/x<path:p>", "/a<b", "/a/<b>/", "/a/<b><c>", "/a/<1x>"})
    void rejectsMalformedPatterns(String pattern) {
        assertThatThrownBy(() -> PathPattern.parse(pattern)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"/health, true", "/, true", "/a/<id>, false", "/a/<path:p>, false"})
    void knowsWhichPatternsAreStatic(String pattern, boolean expected) {
        assertThat(PathPattern.parse(pattern).isStatic()).isEqualTo(expected);
    }
}
