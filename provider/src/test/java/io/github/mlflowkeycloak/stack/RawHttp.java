package io.github.mlflowkeycloak.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Sends a request target byte for byte as written, which HTTP clients do not: they normalize
 * dot segments and refuse malformed escapes, the very forms the gateway must be tested with.
 */
public final class RawHttp {

    public record RawResponse(int status, String head, String body) {
    }

    private RawHttp() {
    }

    public static RawResponse get(String target, String bearerToken) throws IOException {
        URI gateway = URI.create(LocalStack.gatewayUrl());
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(30_000);
            String request = "GET " + target + " HTTP/1.1\r\n"
                    + "Host: " + gateway.getHost() + ":" + gateway.getPort() + "\r\n"
                    + (bearerToken == null ? "" : "Authorization: Bearer " + bearerToken + "\r\n")
                    + "Connection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int endOfHead = response.indexOf("\r\n\r\n");
            String head = endOfHead < 0 ? response : response.substring(0, endOfHead);
            String body = endOfHead < 0 ? "" : response.substring(endOfHead + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            return new RawResponse(status, head, body);
        }
    }
}
