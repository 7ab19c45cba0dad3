package io.github.mlflowkeycloak.browser;

/**
 * Where to send the browser after signing in: a path on the MLflow host, never another host. The
 * UI's own routes live after a {@code #} and come back with it.
 */
final class ReturnPath {

    private ReturnPath() {
    }

    /** The path if it is a safe local one, else {@code /}. */
    static String of(String requested) {
        if (requested == null || requested.isEmpty() || requested.length() > 2048 || requested.charAt(0) != '/') {
            return "/";
        }
        if (requested.startsWith("//") || requested.startsWith("/\\")) {
            return "/";
        }
        for (int i = 0; i < requested.length(); i++) {
            char c = requested.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '\\') {
                return "/";
            }
        }
        return requested;
    }
}
