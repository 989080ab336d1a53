package dev.arbor.server.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The certificate the server presents and its private key: read from PEM files (what an operator or an ACME client
 * leaves on disk), or a self-signed one made for the server's name, as BonsaiDb installs on first start. Clients
 * that do not trust it through a certificate authority pin it by {@link #fingerprint()}.
 */
public record ServerCertificate(PrivateKey key, List<X509Certificate> chain) {
    /** How long a self-signed certificate lasts: it is trusted by pin, not by an authority that would rotate it. */
    static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(3650);

    public ServerCertificate {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain has at least the server's certificate");
        }
    }

    /** The server's own certificate, first in the chain. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** SHA-256 of the certificate's DER encoding, as {@code AB:CD:...}: what a client pins. */
    public String fingerprint() {
        return Fingerprints.sha256(certificate());
    }

    /**
     * Reads a certificate chain (the server's first, then intermediates) and its private key (PKCS#8, PKCS#1 RSA or
     * SEC1 EC, unencrypted) from PEM files.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static ServerCertificate fromPem(Path certFile, Path keyFile) {
        List<X509Certificate> chain = new ArrayList<>();
        try (InputStream in = Files.newInputStream(certFile)) {
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) certificate);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the certificate in " + certFile + ": " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(certFile + " holds no PEM certificate");
        }
        return new ServerCertificate(readKey(keyFile), chain);
    }

    private static PrivateKey readKey(Path keyFile) {
        try (Reader reader = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
             PEMParser pem = new PEMParser(reader)) {
            Object object = pem.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return switch (object) {
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                // SEC1 ("EC PRIVATE KEY") may leave the public key out: only the private part is needed.
                case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
                case null -> throw new IllegalArgumentException(keyFile + " holds no PEM private key");
                default -> throw new IllegalArgumentException(keyFile + " holds a " + object.getClass().getSimpleName()
                        + ", not an unencrypted private key");
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the private key in " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * A new self-signed certificate for {@code serverName} (also valid for {@code localhost}, 127.0.0.1 and ::1, so
     * a local client can connect by any of them), on a new P-256 key.
     */
    public static ServerCertificate selfSigned(String serverName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + serverName.replaceAll("[,=+<>#;\"\\\\]", "_"));
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(127, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(SELF_SIGNED_VALIDITY)), subject, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternativeNames(serverName)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new ServerCertificate(pair.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static GeneralName[] alternativeNames(String serverName) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>(List.of(serverName, "localhost", "127.0.0.1", "::1"));
        return names.stream()
                .map(name -> new GeneralName(isAddressLiteral(name) ? GeneralName.iPAddress : GeneralName.dNSName, name))
                .toArray(GeneralName[]::new);
    }

    private static boolean isAddressLiteral(String name) {
        return name.contains(":") || name.matches("[0-9]+(\\.[0-9]+){3}");
    }

    /**
     * Writes the chain and the key as PEM, the key readable by its owner only. Each file is replaced whole (written
     * beside, then renamed over), because a renewal rewrites them under a running server; the pair can still be
     * mismatched by a crash between the two renames, which {@link #keyMatches()} tells.
     */
    public void writePem(Path certFile, Path keyFile) {
        try {
            Path directory = certFile.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            Path newKey = ownerOnlyTempFile(keyFile.toAbsolutePath().getParent(), keyFile.getFileName().toString());
            // PKCS#8 ("PRIVATE KEY"): what OpenSSL, curl and Node read for any key type.
            Files.writeString(newKey, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null)),
                    StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            Path newCert = Files.createTempFile(directory, certFile.getFileName().toString(), ".tmp");
            Files.writeString(newCert, pem(chain.toArray()), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(newKey, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(newCert, certFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the certificate to " + certFile, e);
        }
    }

    private static Path ownerOnlyTempFile(Path directory, String prefix) throws IOException {
        Files.createDirectories(directory);
        try {
            return Files.createTempFile(directory, prefix, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            return Files.createTempFile(directory, prefix, ".tmp");
        }
    }

    /** Whether the private key is the one the certificate was issued for: a signature by it verifies with the certificate. */
    public boolean keyMatches() {
        try {
            String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
            byte[] probe = "arbor key check".getBytes(StandardCharsets.US_ASCII);
            java.security.Signature signer = java.security.Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
            verifier.initVerify(certificate().getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String pem(Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        }
        return text.toString();
    }

    /** Writes a key pair as PEM (the private key as PKCS#8, then the public key), readable by its owner only. */
    static void writeKey(java.security.KeyPair pair, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null),
                    pair.getPublic()), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the key to " + file, e);
        }
    }

    /** Reads a key pair {@link #writeKey} wrote. */
    static java.security.KeyPair readKeyPair(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser pem = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKey privateKey = null;
            java.security.PublicKey publicKey = null;
            for (Object object = pem.readObject(); object != null; object = pem.readObject()) {
                if (object instanceof PrivateKeyInfo info) {
                    privateKey = converter.getPrivateKey(info);
                } else if (object instanceof org.bouncycastle.asn1.x509.SubjectPublicKeyInfo info) {
                    publicKey = converter.getPublicKey(info);
                }
            }
            if (privateKey == null || publicKey == null) {
                throw new IllegalArgumentException(file + " does not hold a private and a public key");
            }
            return new java.security.KeyPair(publicKey, privateKey);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the key pair in " + file + ": " + e.getMessage(), e);
        }
    }

    /** An in-memory key store holding the key and chain under {@code alias}, for the TLS engine. */
    KeyStore keyStore(String alias, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, key, password, chain.toArray(X509Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot hold the server's key: " + e.getMessage(), e);
        }
    }
}
