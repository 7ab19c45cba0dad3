package io.github.mlflowkeycloak.request;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.mlflowkeycloak.route.StrictUtf8;

/**
 * A query string read as Werkzeug reads {@code request.args} (Python's {@code parse_qsl} with
 * blank values kept): pairs separated by {@code &}, {@code +} as space, percent escapes decoded,
 * an escape that is not one kept as written, a key without {@code =} given the empty value.
 * Where Python would replace bytes that are not UTF-8, the request is refused instead.
 */
public final class QueryString {

    private static final QueryString EMPTY = new QueryString(Map.of());

    private final Map<String, List<String>> values;

    private QueryString(Map<String, List<String>> values) {
        this.values = values;
    }

    /** @param query the raw query string, without {@code ?}; null or empty for none */
    public static QueryString parse(String query) throws BadRequestException {
        if (query == null || query.isEmpty()) {
            return EMPTY;
        }
        for (int i = 0; i < query.length(); i++) {
            if (query.charAt(i) > 0x7f) {
                throw new BadRequestException("The query string must be percent-encoded ASCII.");
            }
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return values.isEmpty() ? EMPTY : new QueryString(values);
    }

    /** Werkzeug's {@code bool(request.args)}: whether any key was given. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Every value given for the key, in order; empty when the key is absent. */
    public List<String> values(String key) {
        return values.getOrDefault(key, Collections.emptyList());
    }

    private static String decode(String text) throws BadRequestException {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%' && i + 2 < text.length()
                    && Character.digit(text.charAt(i + 1), 16) >= 0 && Character.digit(text.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(text.charAt(i + 1), 16) << 4 | Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        String decoded = StrictUtf8.decode(bytes);
        if (decoded == null) {
            throw new BadRequestException("The query string is not valid UTF-8.");
        }
        return decoded;
    }
}
