package io.pbftledger.config;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads and writes the private key files: {@code replicas/replica-<i>.key} (replicaId, publicKey,
 * privateKey) and {@code clients/client-<j>.key} (clientId, chainId, publicKey, privateKey). Keys are
 * base64; the private key is the 32-byte Ed25519 seed, and the public key must be the one it derives
 * (it is stored so operators can copy it into the membership without tools). Files are written 0600.
 */
public final class KeyFiles {
    /** Bound on the number of client key files read from one directory. */
    public static final int IDENTITIES_MAX = 10_000;

    private KeyFiles() {
    }

    /** A replica's signing key from its key file. */
    public record ReplicaKey(int replicaId, Ed25519.PrivateKey privateKey) {
        public ReplicaKey {
            if (replicaId < 0) {
                throw new IllegalArgumentException("replicaId must be >= 0, got " + replicaId);
            }
            if (privateKey == null) {
                throw new IllegalArgumentException("privateKey is required");
            }
        }

        public Ed25519.PublicKey publicKey() {
            return privateKey.publicKey();
        }
    }

    record ReplicaKeyDoc(Integer replicaId, String publicKey, String privateKey) {
    }

    record ClientKeyDoc(String clientId, String chainId, String publicKey, String privateKey) {
    }

    public static ReplicaKey loadReplicaKey(Path file) {
        ReplicaKeyDoc doc = MembershipYaml.read(file, ReplicaKeyDoc.class);
        int replicaId = KeyFileFields.require(file, "replicaId", doc.replicaId());
        if (replicaId < 0) {
            throw new MembershipFileException(file, "replicaId must be >= 0, got " + replicaId);
        }
        Ed25519.PrivateKey key = matchingKeys(file, doc.publicKey(), doc.privateKey());
        return new ReplicaKey(replicaId, key);
    }

    public static ClientIdentity loadClientIdentity(Path file) {
        ClientKeyDoc doc = MembershipYaml.read(file, ClientKeyDoc.class);
        String clientId = KeyFileFields.require(file, "clientId", doc.clientId());
        String chainId = KeyFileFields.require(file, "chainId", doc.chainId());
        requireId(file, "clientId", clientId);
        requireId(file, "chainId", chainId);
        return new ClientIdentity(clientId, chainId, matchingKeys(file, doc.publicKey(), doc.privateKey()));
    }

    /** Every {@code *.key} file in {@code dir}, in file name order; client ids must be distinct. */
    public static List<ClientIdentity> loadClientIdentities(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new MembershipFileException(dir, "is not a directory of client key files");
        }
        TreeSet<Path> files = new TreeSet<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.key")) {
            for (Path p : stream) {
                files.add(p);
                if (files.size() > IDENTITIES_MAX) {
                    throw new MembershipFileException(dir, "holds more than " + IDENTITIES_MAX + " key files");
                }
            }
        } catch (IOException e) {
            throw new MembershipFileException(dir, "cannot list: " + e, e);
        }
        if (files.isEmpty()) {
            throw new MembershipFileException(dir, "holds no client key files (*.key)");
        }
        Map<String, Path> fileById = new LinkedHashMap<>();
        List<ClientIdentity> out = new ArrayList<>(files.size());
        for (Path file : files) {
            ClientIdentity identity = loadClientIdentity(file);
            Path earlier = fileById.putIfAbsent(identity.clientId(), file);
            if (earlier != null) {
                throw new MembershipFileException(file, "clientId '" + identity.clientId() + "' is also in " + earlier.getFileName());
            }
            out.add(identity);
        }
        return out;
    }

    public static void writeReplicaKey(Path file, ReplicaKey key) {
        ReplicaKeyDoc doc = new ReplicaKeyDoc(key.replicaId(), key.publicKey().toBase64(), key.privateKey().toBase64());
        MembershipYaml.writeFile(file, "# pbft-ledger replica key: keep secret (mode 0600)\n" + MembershipYaml.write(doc), true);
    }

    public static void writeClientIdentity(Path file, ClientIdentity identity) {
        ClientKeyDoc doc = new ClientKeyDoc(identity.clientId(), identity.chainId(),
                identity.privateKey().publicKey().toBase64(), identity.privateKey().toBase64());
        MembershipYaml.writeFile(file, "# pbft-ledger client identity: keep secret (mode 0600)\n" + MembershipYaml.write(doc), true);
    }

    private static Ed25519.PrivateKey matchingKeys(Path file, String publicBase64, String privateBase64) {
        Ed25519.PublicKey stated = KeyFileFields.publicKey(file, "publicKey", publicBase64);
        Ed25519.PrivateKey key = KeyFileFields.privateKey(file, "privateKey", privateBase64);
        if (!key.publicKey().equals(stated)) {
            throw new MembershipFileException(file, "publicKey is not the public key of privateKey (derived: " + key.publicKey() + ")");
        }
        return key;
    }

    private static void requireId(Path file, String field, String value) {
        if (!Transaction.ID_PATTERN.matcher(value).matches()) {
            throw new MembershipFileException(file, field + " '" + value + "' must match " + Transaction.ID_PATTERN.pattern());
        }
    }
}
