package io.github.mlflowkeycloak.graphql;

import java.util.ArrayList;
import java.util.List;

/**
 * A lexical token of a GraphQL document (October 2021 spec, as graphql-core lexes it), as far as
 * reading fields and their arguments needs.
 */
record Token(Kind kind, String text) {

    /** STRING: a string or block string, its text decoded as graphql-core decodes it. */
    enum Kind { NAME, PUNCTUATOR, NUMBER, STRING }

    /** GraphQL documents from the UI are a few kilobytes; a limit keeps lexing bounded. */
    static final int MAX_TOKENS = 20_000;

    boolean isPunctuator(String punctuator) {
        return kind == Kind.PUNCTUATOR && text.equals(punctuator);
    }

    boolean isName(String name) {
        return kind == Kind.NAME && text.equals(name);
    }

    static List<Token> lex(String source) throws GraphQlException {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int length = source.length();
        while (i < length) {
            char c = source.charAt(i);
            if (c == '\uFEFF' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') {
                i++;
            } else if (c == '#') {
                while (i < length && source.charAt(i) != '\n' && source.charAt(i) != '\r') {
                    i++;
                }
            } else if (c == '.') {
                if (!source.startsWith("...", i)) {
                    throw new GraphQlException("unexpected '.'");
                }
                tokens.add(new Token(Kind.PUNCTUATOR, "..."));
                i += 3;
            } else if ("!$&():=@[]{}|".indexOf(c) >= 0) {
                tokens.add(new Token(Kind.PUNCTUATOR, String.valueOf(c)));
                i++;
            } else if (c == '_' || Character.isLetter(c) && c < 0x80) {
                int start = i;
                while (i < length && isNameChar(source.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Kind.NAME, source.substring(start, i)));
            } else if (c == '-' || c >= '0' && c <= '9') {
                int start = i;
                i = readNumber(source, i);
                tokens.add(new Token(Kind.NUMBER, source.substring(start, i)));
            } else if (source.startsWith("\"\"\"", i)) {
                StringBuilder text = new StringBuilder();
                i = readBlockString(source, i, text);
                tokens.add(new Token(Kind.STRING, text.toString()));
            } else if (c == '"') {
                StringBuilder text = new StringBuilder();
                i = readString(source, i, text);
                tokens.add(new Token(Kind.STRING, text.toString()));
            } else {
                throw new GraphQlException("unexpected character U+" + Integer.toHexString(c));
            }
            if (tokens.size() > MAX_TOKENS) {
                throw new GraphQlException("the query is too long");
            }
        }
        return tokens;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }

    /**
     * Returns the index after the number that starts at {@code start}: {@code -?(0|[1-9][0-9]*)},
     * then an optional fraction and exponent, not followed by a dot or a name.
     */
    private static int readNumber(String source, int start) throws GraphQlException {
        int i = source.charAt(start) == '-' ? start + 1 : start;
        if (i < source.length() && source.charAt(i) == '0') {
            i++;
            if (i < source.length() && isDigit(source.charAt(i))) {
                throw new GraphQlException("a number cannot start with 0");
            }
        } else {
            i = readDigits(source, i);
        }
        if (i < source.length() && source.charAt(i) == '.') {
            i = readDigits(source, i + 1);
        }
        if (i < source.length() && (source.charAt(i) == 'e' || source.charAt(i) == 'E')) {
            i++;
            if (i < source.length() && (source.charAt(i) == '+' || source.charAt(i) == '-')) {
                i++;
            }
            i = readDigits(source, i);
        }
        if (i < source.length() && (source.charAt(i) == '.' || isNameChar(source.charAt(i)) && !isDigit(source.charAt(i)))) {
            throw new GraphQlException("a number is followed by " + source.charAt(i));
        }
        return i;
    }

    private static int readDigits(String source, int start) throws GraphQlException {
        int i = start;
        while (i < source.length() && isDigit(source.charAt(i))) {
            i++;
        }
        if (i == start) {
            throw new GraphQlException("a number needs a digit");
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Decodes the block string that starts at {@code start} into {@code text}, as the spec's
     * BlockStringValue() does; returns the index after it.
     */
    private static int readBlockString(String source, int start, StringBuilder text) throws GraphQlException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int i = start + 3;
        while (i < source.length()) {
            if (source.startsWith("\"\"\"", i)) {
                lines.add(line.toString());
                text.append(blockStringValue(lines));
                return i + 3;
            }
            if (source.startsWith("\\\"\"\"", i)) {
                line.append("\"\"\"");
                i += 4;
            } else if (source.charAt(i) == '\n' || source.charAt(i) == '\r') {
                lines.add(line.toString());
                line.setLength(0);
                i += source.startsWith("\r\n", i) ? 2 : 1;
            } else {
                line.append(source.charAt(i));
                i++;
            }
        }
        throw new GraphQlException("unterminated block string");
    }

    /**
     * A block string's value from its lines: the indentation common to all lines but the first
     * removed from them, then the blank lines at the start and the end.
     */
    private static String blockStringValue(List<String> lines) {
        int common = Integer.MAX_VALUE;
        int first = -1;
        int last = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int indent = 0;
            while (indent < line.length() && (line.charAt(indent) == ' ' || line.charAt(indent) == '\t')) {
                indent++;
            }
            if (indent == line.length()) {
                continue;
            }
            first = first < 0 ? i : first;
            last = i;
            if (i > 0) {
                common = Math.min(common, indent);
            }
        }
        List<String> value = new ArrayList<>();
        for (int i = Math.max(first, 0); i <= last; i++) {
            String line = lines.get(i);
            value.add(i == 0 ? line : line.substring(Math.min(common, line.length())));
        }
        return String.join("\n", value);
    }

    /** Decodes the string that starts at {@code start} into {@code text}; returns the index after it. */
    private static int readString(String source, int start, StringBuilder text) throws GraphQlException {
        int i = start + 1;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\n' || c == '\r') {
                throw new GraphQlException("line break in a string");
            }
            if (c != '\\') {
                text.append(c);
                i++;
                continue;
            }
            if (i + 1 >= source.length()) {
                break;
            }
            char escaped = source.charAt(i + 1);
            if (escaped == 'u') {
                i = readUnicodeEscape(source, i, text);
                continue;
            }
            switch (escaped) {
                case '"', '\\', '/' -> text.append(escaped);
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                default -> throw new GraphQlException("unknown escape \\" + escaped + " in a string");
            }
            i += 2;
        }
        throw new GraphQlException("unterminated string");
    }

    /**
     * Decodes the {@code \\u} escape at {@code start} into {@code text}: four hex digits, two such
     * escapes that form a surrogate pair, or {@code \\u{...}} with one to eight; each must give a
     * Unicode scalar value (no lone surrogate). Returns the index after it.
     */
    private static int readUnicodeEscape(String source, int start, StringBuilder text) throws GraphQlException {
        if (source.startsWith("{", start + 2)) {
            int close = source.indexOf('}', start + 3);
            long point = close < 0 || close == start + 3 || close > start + 11 ? -1 : hex(source, start + 3, close);
            if (point < 0 || point > Character.MAX_CODE_POINT || point >= Character.MIN_SURROGATE && point <= Character.MAX_SURROGATE) {
                throw new GraphQlException("invalid \\u{...} escape in a string");
            }
            text.appendCodePoint((int) point);
            return close + 1;
        }
        long unit = hex(source, start + 2, start + 6);
        if (unit < 0 || Character.isLowSurrogate((char) unit)) {
            throw new GraphQlException("invalid \\u escape in a string");
        }
        if (!Character.isHighSurrogate((char) unit)) {
            text.append((char) unit);
            return start + 6;
        }
        long low = source.startsWith("\\u", start + 6) ? hex(source, start + 8, start + 12) : -1;
        if (low < 0 || !Character.isLowSurrogate((char) low)) {
            throw new GraphQlException("a \\u escape of a high surrogate must be followed by one of a low surrogate");
        }
        text.append((char) unit).append((char) low);
        return start + 12;
    }

    /** The value of the hex digits from {@code start} to {@code end}, or -1 if there are not as many. */
    private static long hex(String source, int start, int end) {
        if (end > source.length()) {
            return -1;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            char c = source.charAt(i);
            int digit = isDigit(c) ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
