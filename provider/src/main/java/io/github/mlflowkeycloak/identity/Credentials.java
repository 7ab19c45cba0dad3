package io.github.mlflowkeycloak.identity;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** What the caller presented in its {@code Authorization} header. */
public sealed interface Credentials {

    /** No {@code Authorization} header. */
    record None() implements Credentials {
    }

    /** {@code Authorization: Bearer <access token>}. */
    record Bearer(String token) implements Credentials {
    }

    /**
     * {@code Authorization: Basic base64(client id:secret)}, as MLflow's clients send
     * MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD: a service account's client.
     */
    record Basic(String clientId, String secret) implements Credentials {

        @Override
        public String toString() {
            return "Basic[clientId=" + clientId + "]";
        }
    }

    /** A header in any other form: another scheme, no token, extra parts, bad Base64. */
    record Unsupported() implements Credentials {
    }

    None NONE = new None();
    Unsupported UNSUPPORTED = new Unsupported();

    static Credentials fromAuthorizationHeader(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        String value = header.strip();
        int space = value.indexOf(' ');
        if (space < 0) {
            return UNSUPPORTED;
        }
        String scheme = value.substring(0, space);
        String parameter = value.substring(space + 1).strip();
        if (parameter.isEmpty() || !isToken68(parameter)) {
            return UNSUPPORTED;
        }
        if (scheme.equalsIgnoreCase("Bearer")) {
            return new Bearer(parameter);
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            return basic(parameter);
        }
        return UNSUPPORTED;
    }

    private static Credentials basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return UNSUPPORTED;
        }
        // RFC 7617: the user id cannot contain a colon; the password can.
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon == decoded.length() - 1) {
            return UNSUPPORTED;
        }
        return new Basic(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    /** RFC 6750's b64token, which Basic's Base64 is a part of. */
    private static boolean isToken68(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean allowed = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
