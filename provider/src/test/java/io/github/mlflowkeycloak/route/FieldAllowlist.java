package io.github.mlflowkeycloak.route;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A committed allowlist of the field-coverage tests, beside this class: one line a field,
 * {@code METHOD PATH FIELD REASON}, {@code #} for comments.
 */
final class FieldAllowlist {

    private FieldAllowlist() {
    }

    /** "METHOD PATH FIELD" → reason. */
    static Map<String, String> read(String resource) {
        Map<String, String> lines = new LinkedHashMap<>();
        try (InputStream in = FieldAllowlist.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing");
            }
            int number = 0;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                number++;
                String content = line.strip();
                if (content.isEmpty() || content.startsWith("#")) {
                    continue;
                }
                String[] parts = content.split("\\s+", 4);
                if (parts.length < 4 || parts[3].isBlank()) {
                    throw new IllegalArgumentException(resource + " line " + number + ": expected METHOD PATH FIELD REASON: " + line);
                }
                String key = parts[0] + " " + parts[1] + " " + parts[2];
                if (lines.put(key, parts[3]) != null) {
                    throw new IllegalArgumentException(resource + " line " + number + ": listed twice: " + key);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
