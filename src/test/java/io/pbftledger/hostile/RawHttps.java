package io.pbftledger.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * Writes requests byte for byte over TLS to one replica on loopback, one connection each
 * ({@code Connection: close}), so the request target reaches Tomcat exactly as spelled and every
 * framing (Content-Length, chunked, a length announced but not sent) is what the generator chose.
 * Trusts the cluster CA of a keygen --tls directory; presents {@code tls/<name>.crt} when asked. A
 * body larger than a socket buffer is written by a thread of its own while the answer is read, as a
 * replica may answer (and close) before it read the body. Answers are read up to 4 MiB.
 */
public final class RawHttps {
    private static final int INLINE_BODY_BYTES = 32 * 1024;
    private static final int ANSWER_MAX_BYTES = 4 << 20;
    private static final int CHUNK_BYTES = 16 * 1024;

    private final int port;
    private final Path tls;
    private final SSLContext anonymous;
    private final Map<String, SSLContext> presenting = new ConcurrentHashMap<>();

    /** @param tls the {@code tls} directory keygen --tls wrote (ca.crt and the certificates) */
    public RawHttps(int port, Path tls) {
        this.port = port;
        this.tls = tls;
        this.anonymous = context(null);
    }

    public Answer send(HostileRequest r) throws IOException {
        return send(r.method(), r.target(), r.headers(), r.body(), r.certificate());
    }

    public Answer send(String method, String target, List<String> headers, Body body, String certificate) throws IOException {
        SSLContext over = certificate == null ? anonymous : presenting.computeIfAbsent(certificate, this::context);
        try (Socket socket = over.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head(method, target, headers, body));
            Thread writer = null;
            if (body != null && body.bytes().length > INLINE_BODY_BYTES) {
                writer = new Thread(() -> writeQuietly(out, body), "hostile-body-writer");
                writer.setDaemon(true);
                writer.start();
            } else if (body != null) {
                writeQuietly(out, body);
            }
            try {
                return read(new java.io.BufferedInputStream(socket.getInputStream()), method.equals("HEAD"));
            } finally {
                socket.close();
                if (writer != null) {
                    joinQuietly(writer);
                }
            }
        }
    }

    private static byte[] head(String method, String target, List<String> headers, Body body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        if (body != null) {
            if (body.contentType() != null) {
                head.append("Content-Type: ").append(body.contentType()).append("\r\n");
            }
            if (body.framing() == Body.Framing.CHUNKED) {
                head.append("Transfer-Encoding: chunked\r\n");
            } else {
                head.append("Content-Length: ").append(body.announcedLength()).append("\r\n");
            }
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Writes the body as framed; a server that stopped reading (and closed) ends the writing quietly. */
    private static void writeQuietly(OutputStream out, Body body) {
        try {
            byte[] bytes = body.bytes();
            if (body.framing() == Body.Framing.CHUNKED) {
                for (int at = 0; at < bytes.length; at += CHUNK_BYTES) {
                    int n = Math.min(CHUNK_BYTES, bytes.length - at);
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(bytes, at, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                for (int at = 0; at < bytes.length; at += CHUNK_BYTES) {
                    out.write(bytes, at, Math.min(CHUNK_BYTES, bytes.length - at));
                }
            }
            out.flush();
        } catch (IOException e) {
            // refused before the body was read, and the connection closed: the answer tells
        }
    }

    private static void joinQuietly(Thread writer) {
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Answer read(InputStream in, boolean head) throws IOException {
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed after " + headBytes.size() + " bytes, before the answer's head ended: "
                        + headBytes.toString(StandardCharsets.ISO_8859_1));
            }
            headBytes.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (headBytes.size() > 64 * 1024) {
                throw new IOException("an answer head of more than 64 KiB");
            }
        }
        String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        byte[] body;
        if (head || status == 204 || status == 304) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(in);
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes((int) Math.min(ANSWER_MAX_BYTES, Long.parseLong(headers.get("content-length"))));
        } else {
            body = in.readNBytes(ANSWER_MAX_BYTES);
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < ANSWER_MAX_BYTES) {
            String sizeLine = line(in);
            int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.write(in.readNBytes(size));
            line(in);
        }
        return out.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    private SSLContext context(String certificate) {
        PemSslStoreDetails keyStore = certificate == null ? null
                : PemSslStoreDetails.forCertificate(tls.resolve(certificate + ".crt").toAbsolutePath().toString())
                        .withPrivateKey(tls.resolve(certificate + ".key").toAbsolutePath().toString());
        return SslBundle.of(new PemSslStoreBundle(keyStore,
                PemSslStoreDetails.forCertificate(tls.resolve("ca.crt").toAbsolutePath().toString()))).createSslContext();
    }
}
