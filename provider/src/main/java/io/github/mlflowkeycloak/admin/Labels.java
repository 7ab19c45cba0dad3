package io.github.mlflowkeycloak.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Parts of the names of the policies and permissions the admin API makes. Keycloak keeps those
 * names in 255 characters and unique per resource server, so a long part is cut, and ends with a
 * digest of the whole part: two names that differ only after the cut stay two names.
 */
final class Labels {

    private static final int DIGEST_CHARS = 8;

    private Labels() {
    }

    /** The text itself when it has at most {@code max} characters; else its start, "…" and a digest of it. */
    static String bounded(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - DIGEST_CHARS - 2;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…~" + digest(text);
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, DIGEST_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
