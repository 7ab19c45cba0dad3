package io.github.mlflowkeycloak.route;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 that refuses what is not UTF-8. Where Python replaces bytes it cannot decode, the gateway
 * refuses the request: a replaced character could name another object than the one checked.
 */
public final class StrictUtf8 {

    private StrictUtf8() {
    }

    /** The decoded text, or null when the bytes are not UTF-8. */
    public static String decode(ByteArrayOutputStream bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
