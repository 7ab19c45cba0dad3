package io.github.mlflowkeycloak.ownership;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;

/**
 * The secret NGINX and Keycloak share, which proves that a request to /check or a report of an
 * MLflow answer comes from the gateway: whoever else could ask /check would set the headers only
 * the gateway may set (the client's address, the original request), and whoever could report
 * would claim other people's experiments.
 */
public final class GatewaySecret {

    /** The header NGINX sends the secret in, on every request to the extension that only it may make. */
    public static final String HEADER = "X-MLflow-Gateway-Secret";

    /** Shorter secrets could be guessed; bin/stack and the README make 32 random bytes. */
    static final int MIN_LENGTH = 16;

    /**
     * What hex and base64 secrets are made of: the gateway's template puts the secret into a quoted
     * NGINX string, where $, quotes and backslashes would change it, and it travels in a header.
     */
    private static final Pattern CHARACTERS = Pattern.compile("[A-Za-z0-9._~+/=-]+");

    private final byte[] secret;

    /**
     * @param secret the configured secret; null or blank: no check is ever answered, no report accepted
     * @throws IllegalArgumentException for a secret too short or of other characters; the message never quotes it
     */
    public GatewaySecret(String secret) {
        if (secret != null && !secret.isBlank()) {
            if (secret.length() < MIN_LENGTH) {
                throw new IllegalArgumentException("must have " + MIN_LENGTH + " characters at least");
            }
            if (!CHARACTERS.matcher(secret).matches()) {
                throw new IllegalArgumentException("must consist of A-Z a-z 0-9 . _ ~ + / = - alone");
            }
        }
        this.secret = secret == null || secret.isBlank() ? null : secret.getBytes(StandardCharsets.UTF_8);
    }

    public boolean isConfigured() {
        return secret != null;
    }

    /** Constant-time, so that timing tells nothing about the secret. */
    public boolean matches(String presented) {
        if (secret == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8));
    }
}
