package io.pbftledger.hostile;

import java.nio.charset.StandardCharsets;

/**
 * A request body as it goes on the wire: its Content-Type (null: no header), its bytes and how they
 * are framed. {@link Framing#DECLARED} announces {@code declaredLength} bytes but sends only
 * {@code bytes}: for limits a replica must enforce from the header alone, without reading.
 */
public record Body(String contentType, byte[] bytes, Framing framing, long declaredLength) {
    public static final String JSON = "application/json";
    public static final String OCTETS = "application/octet-stream";

    /** How the body's length reaches the server. */
    public enum Framing {
        /** Content-Length: the length of {@code bytes}. */
        CONTENT_LENGTH,
        /** Transfer-Encoding: chunked, no Content-Length. */
        CHUNKED,
        /** Content-Length: {@code declaredLength}, of which only {@code bytes} are sent. */
        DECLARED
    }

    public Body {
        if (bytes == null || framing == null) {
            throw new IllegalArgumentException("bytes and framing are required");
        }
        if (framing == Framing.DECLARED && declaredLength <= bytes.length) {
            throw new IllegalArgumentException("a declared length must exceed what is sent");
        }
    }

    public static Body json(String text) {
        return of(JSON, text.getBytes(StandardCharsets.UTF_8));
    }

    public static Body of(String contentType, byte[] bytes) {
        return new Body(contentType, bytes, Framing.CONTENT_LENGTH, bytes.length);
    }

    public static Body chunked(String contentType, byte[] bytes) {
        return new Body(contentType, bytes, Framing.CHUNKED, -1);
    }

    /** Announces {@code declaredLength} bytes and sends the first {@code sent} of them. */
    public static Body declared(String contentType, long declaredLength, byte[] sent) {
        return new Body(contentType, sent, Framing.DECLARED, declaredLength);
    }

    /** The length the request announces (-1: chunked). */
    public long announcedLength() {
        return switch (framing) {
            case CONTENT_LENGTH -> bytes.length;
            case CHUNKED -> -1;
            case DECLARED -> declaredLength;
        };
    }
}
