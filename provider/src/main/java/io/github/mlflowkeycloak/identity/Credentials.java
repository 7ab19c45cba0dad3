package io.github.mlflowkeycloak.identity;

/**
 * What the caller presented in its {@code Authorization} header.
 *
 * @param kind  whether there was a usable credential
 * @param token the bearer token when {@code kind} is {@link Kind#BEARER}, else null
 */
public record Credentials(Kind kind, String token) {

    public enum Kind {
        /** No {@code Authorization} header. */
        NONE,
        /** {@code Authorization: Bearer <token>}. */
        BEARER,
        /** A header in any other form: another scheme, no token, extra parts. */
        UNSUPPORTED
    }

    private static final Credentials NONE = new Credentials(Kind.NONE, null);
    private static final Credentials UNSUPPORTED = new Credentials(Kind.UNSUPPORTED, null);
    private static final String BEARER_SCHEME = "Bearer";

    public static Credentials fromAuthorizationHeader(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        String value = header.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.regionMatches(true, 0, BEARER_SCHEME, 0, space) || space != BEARER_SCHEME.length()) {
            return UNSUPPORTED;
        }
        String token = value.substring(space + 1).strip();
        if (token.isEmpty() || !isToken68(token)) {
            return UNSUPPORTED;
        }
        return new Credentials(Kind.BEARER, token);
    }

    /** RFC 6750's b64token: what a JWS compact serialization is made of. */
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
