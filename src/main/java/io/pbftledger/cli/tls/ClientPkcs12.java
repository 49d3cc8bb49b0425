package io.pbftledger.cli.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;

/**
 * A client's TLS key and certificate (with the CA certificate) as a PKCS#12 file, the format
 * browsers import client certificates from, so the explorer can read from replicas whose reads
 * are closed. Browsers insist on a password: each file gets a random one, written beside it in
 * {@code .p12.password}; both files are owner-only (mode 0600) like every private key. The
 * encryption is the JDK's PKCS#12 default (PBES2 with AES-256, HMAC-SHA-256).
 */
final class ClientPkcs12 {
    /** 18 random bytes: 24 base64url characters, 144 bits. */
    static final int PASSWORD_BYTES = 18;

    private ClientPkcs12() {
    }

    static void write(Path file, Path passwordFile, String clientId, TlsAuthority.Issued issued, X509Certificate ca,
                      SecureRandom random) {
        byte[] secret = new byte[PASSWORD_BYTES];
        random.nextBytes(secret);
        char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret).toCharArray();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(clientId, issued.privateKey(), password, new Certificate[] {issued.certificate(), ca});
            store.store(bytes, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the PKCS#12 file of client " + clientId + ": " + e, e);
        }
        // the password first: with the .p12 present, its password is too
        TlsFiles.writeAtomically(passwordFile, new String(password) + "\n", true);
        TlsFiles.writeAtomically(file, bytes.toByteArray(), true);
        Arrays.fill(password, '\0');
    }
}
