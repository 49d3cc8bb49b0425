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
 * Writes requests byte for byte over TLS to one replica on loopback, so the request target reaches
 * Tomcat exactly as spelled and every framing (Content-Length, chunked, a length announced but not
 * sent) is what the generator chose. Trusts the cluster CA of a keygen --tls directory; presents
 * {@code tls/<name>.crt} when asked. Each thread keeps one connection per certificate alive across
 * requests, as a client would, and opens a new one after an answer that closes it, a body the
 * replica did not read, or a connection it found closed before it answered (then the request is
 * sent once more, on the new connection: nothing of it was answered). A body larger than a socket
 * buffer is written by a thread of its own while the answer is read, as a replica may answer (and
 * close) before it read the body. Answers are read up to 4 MiB.
 */
public final class RawHttps implements AutoCloseable {
    private static final int INLINE_BODY_BYTES = 32 * 1024;
    private static final int ANSWER_MAX_BYTES = 4 << 20;
    private static final int CHUNK_BYTES = 16 * 1024;

    private final int port;
    private final Path tls;
    private final SSLContext anonymous;
    private final Map<String, SSLContext> presenting = new ConcurrentHashMap<>();
    /** This thread's open connection per certificate name ("" for none). */
    private final ThreadLocal<Map<String, Link>> links = ThreadLocal.withInitial(HashMap::new);
    private final java.util.Set<Link> open = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong handshakeNanos = new java.util.concurrent.atomic.AtomicLong();

    /** One kept-alive connection. */
    private static final class Link {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        int answered;

        Link(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new java.io.BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }
    }

    /** What came back, and whether the connection can carry another request. */
    private record Read(Answer answer, boolean reusable) {
    }

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
        String name = certificate == null ? "" : certificate;
        Link link = links.get().remove(name);
        if (link != null) {
            try {
                return exchange(link, name, method, target, headers, body);
            } catch (NotAnswered e) {
                // the replica had closed the kept-alive connection: send it on a new one
            }
        }
        return exchange(connect(certificate), name, method, target, headers, body);
    }

    private Link connect(String certificate) throws IOException {
        SSLContext over = certificate == null ? anonymous : presenting.computeIfAbsent(certificate, this::context);
        long start = System.nanoTime();
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) over.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        handshakeNanos.addAndGet(System.nanoTime() - start);
        connections.incrementAndGet();
        Link link = new Link(socket);
        open.add(link);
        return link;
    }

    private Answer exchange(Link link, String name, String method, String target, List<String> headers, Body body)
            throws IOException {
        boolean keep = false;
        Thread writer = null;
        boolean[] written = {body == null};
        try {
            link.out.write(head(method, target, headers, body));
            if (body != null && body.bytes().length > INLINE_BODY_BYTES) {
                writer = new Thread(() -> written[0] = writeQuietly(link.out, body), "hostile-body-writer");
                writer.setDaemon(true);
                writer.start();
            } else if (body != null) {
                written[0] = writeQuietly(link.out, body);
            }
            Read read;
            try {
                read = read(link.in, method.equals("HEAD"));
            } catch (IOException e) {
                if (link.answered > 0) {
                    throw new NotAnswered(e);
                }
                throw e;
            }
            link.answered++;
            if (writer != null) {
                writer.join(50);
            }
            keep = read.reusable() && (writer == null || !writer.isAlive()) && written[0]
                    && (body == null || body.framing() != Body.Framing.DECLARED);
            return read.answer();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            if (keep) {
                links.get().put(name, link);
            } else {
                close(link);
                if (writer != null) {
                    joinQuietly(writer);
                }
            }
        }
    }

    /** A kept-alive connection that closed before any answer: the request was not handled. */
    private static final class NotAnswered extends IOException {
        NotAnswered(IOException cause) {
            super(cause);
        }
    }

    private void close(Link link) {
        open.remove(link);
        try {
            link.socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Connections opened so far (each a TLS handshake). */
    public int connections() {
        return connections.get();
    }

    /** Time those handshakes took, summed. */
    public long handshakeNanos() {
        return handshakeNanos.get();
    }

    /** Closes every connection still open, whichever thread kept it. */
    @Override
    public void close() {
        for (Link link : List.copyOf(open)) {
            close(link);
        }
    }

    private static byte[] head(String method, String target, List<String> headers, Body body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n");
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
    private static boolean writeQuietly(OutputStream out, Body body) {
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
            return true;
        } catch (IOException e) {
            // refused before the body was read, and the connection closed: the answer tells
            return false;
        }
    }

    private static void joinQuietly(Thread writer) {
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Read read(InputStream in, boolean head) throws IOException {
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
        boolean delimited = true;
        if (head || status == 204 || status == 304) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(in);
        } else if (headers.containsKey("content-length")) {
            long length = Long.parseLong(headers.get("content-length"));
            body = in.readNBytes((int) Math.min(ANSWER_MAX_BYTES, length));
            delimited = length <= ANSWER_MAX_BYTES;
        } else {
            body = in.readNBytes(ANSWER_MAX_BYTES);
            delimited = false;
        }
        boolean reusable = delimited && !"close".equalsIgnoreCase(headers.get("connection"));
        return new Read(new Answer(status, headers, new String(body, StandardCharsets.UTF_8)), reusable);
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < ANSWER_MAX_BYTES) {
            String sizeLine = line(in);
            int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
            if (size == 0) {
                // trailers, if any, end with an empty line: the connection is then ready for the next answer
                while (!line(in).isEmpty()) {
                    continue;
                }
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
