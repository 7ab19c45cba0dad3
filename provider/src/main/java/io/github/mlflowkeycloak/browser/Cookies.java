package io.github.mlflowkeycloak.browser;

import java.util.Optional;

/** Reading a cookie from a Cookie header, and writing the gateway's own cookies. */
final class Cookies {

    static final String SESSION = "MLFLOW_SESSION";
    static final String LOGIN = "MLFLOW_LOGIN";

    private Cookies() {
    }

    /** The value of the first cookie named {@code name}; empty when absent or when it is given twice. */
    static Optional<String> read(String cookieHeader, String name) {
        if (cookieHeader == null) {
            return Optional.empty();
        }
        String found = null;
        for (String pair : cookieHeader.split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).strip().equals(name)) {
                if (found != null) {
                    // Two cookies of one name (another path, a planted one): trust neither.
                    return Optional.empty();
                }
                found = pair.substring(equals + 1).strip();
            }
        }
        return Optional.ofNullable(found).filter(v -> !v.isEmpty());
    }

    /** A Set-Cookie value: HttpOnly, SameSite=Lax, Secure over https, for the given path. */
    static String set(String name, String value, String path, boolean secure, Integer maxAgeSeconds) {
        StringBuilder cookie = new StringBuilder(name).append('=').append(value)
                .append("; Path=").append(path).append("; HttpOnly; SameSite=Lax");
        if (secure) {
            cookie.append("; Secure");
        }
        if (maxAgeSeconds != null) {
            cookie.append("; Max-Age=").append(maxAgeSeconds);
        }
        return cookie.toString();
    }

    static String clear(String name, String path, boolean secure) {
        return set(name, "", path, secure, 0);
    }
}
