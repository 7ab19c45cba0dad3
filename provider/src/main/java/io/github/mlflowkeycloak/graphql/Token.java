package io.github.mlflowkeycloak.graphql;

import java.util.ArrayList;
import java.util.List;

/** A lexical token of a GraphQL document (October 2021 spec), as far as field selection needs. */
record Token(Kind kind, String text) {

    /** VALUE: a number; STRING: a string, its text decoded; BLOCK_STRING: a block string, its text not kept. */
    enum Kind { NAME, PUNCTUATOR, VALUE, STRING, BLOCK_STRING }

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
                int start = i++;
                while (i < length && (isNameChar(source.charAt(i)) || source.charAt(i) == '.'
                        || source.charAt(i) == '+' || source.charAt(i) == '-')) {
                    i++;
                }
                tokens.add(new Token(Kind.VALUE, source.substring(start, i)));
            } else if (source.startsWith("\"\"\"", i)) {
                i = skipBlockString(source, i);
                tokens.add(new Token(Kind.BLOCK_STRING, ""));
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

    /** Returns the index after the block string that starts at {@code start}. */
    private static int skipBlockString(String source, int start) throws GraphQlException {
        int i = start + 3;
        while (i < source.length()) {
            if (source.startsWith("\\\"\"\"", i)) {
                i += 4;
            } else if (source.startsWith("\"\"\"", i)) {
                return i + 3;
            } else {
                i++;
            }
        }
        throw new GraphQlException("unterminated block string");
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
            switch (escaped) {
                case '"', '\\', '/' -> text.append(escaped);
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    if (i + 6 > source.length()) {
                        throw new GraphQlException("a \\u escape needs four hex digits");
                    }
                    try {
                        text.append((char) Integer.parseInt(source.substring(i + 2, i + 6), 16));
                    } catch (NumberFormatException e) {
                        throw new GraphQlException("a \\u escape needs four hex digits");
                    }
                    i += 4;
                }
                default -> throw new GraphQlException("unknown escape \\" + escaped + " in a string");
            }
            i += 2;
        }
        throw new GraphQlException("unterminated string");
    }
}
