package io.github.mlflowkeycloak.gateway;

import static io.github.mlflowkeycloak.stack.LocalStack.gateway;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowkeycloak.stack.LocalStack;
import org.junit.jupiter.api.Test;

/** {@code bin/stack token USER} prints the token alone, so that {@code $(bin/stack token dana)} works. */
class StackTokenIT {

    @Test
    void printsAUsableAccessTokenAndNothingElse() throws Exception {
        String out = LocalStack.binStack("token", "dana");
        assertThat(out).endsWith("\n");
        String token = out.substring(0, out.length() - 1);
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        gateway().auth().oauth2(token).get("/api/2.0/mlflow/experiments/search?max_results=1").then().statusCode(200);
    }
}
