package dev.arbor.server.tls;

import dev.arbor.server.ServerConfig;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The certificate the server presents, found as the configuration says: the PEM files it names, or else the
 * self-signed certificate installed in {@code <data>/tls/} on first start (made then, kept after, so the fingerprint
 * clients pinned stays valid across restarts).
 *
 * @param generated whether this start made the certificate (the server then prints its fingerprint prominently)
 * @param certFile  where the certificate's PEM lies, for clients that trust it as a file ({@code curl --cacert})
 */
public record ServerTls(ServerCertificate certificate, boolean generated, Path certFile) {
    /** Where a self-signed certificate is installed, under the data directory. */
    public static final String DIRECTORY = "tls";

    public static ServerTls load(ServerConfig.Tls tls, Path dataDir) {
        if (tls.certFile() != null) {
            return new ServerTls(ServerCertificate.fromPem(tls.certFile(), tls.keyFile()), false, tls.certFile());
        }
        if (tls.acme() != null) {
            return fromAcme(tls, dataDir.resolve(DIRECTORY));
        }
        Path certFile = dataDir.resolve(DIRECTORY).resolve("server.crt");
        Path keyFile = dataDir.resolve(DIRECTORY).resolve("server.key");
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            return new ServerTls(ServerCertificate.fromPem(certFile, keyFile), false, certFile);
        }
        ServerCertificate made = ServerCertificate.selfSigned(tls.serverName());
        made.writePem(certFile, keyFile);
        return new ServerTls(made, true, certFile);
    }

    private static ServerTls fromAcme(ServerConfig.Tls tls, Path directory) {
        Path certFile = directory.resolve("acme.crt");
        Path keyFile = directory.resolve("acme.key");
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            ServerCertificate kept = ServerCertificate.fromPem(certFile, keyFile);
            boolean sameName = kept.certificate().getSubjectX500Principal().getName().contains("CN=" + tls.serverName())
                    || subjectAlternativeNames(kept).contains(tls.serverName());
            // A renewal interrupted between writing the key and the certificate leaves a pair that cannot serve.
            if (sameName && kept.keyMatches() && !renewalDue(kept, tls.acme(), java.time.Instant.now())) {
                return new ServerTls(kept, false, certFile);
            }
        }
        return new ServerTls(issueFromAcme(tls, directory), true, certFile);
    }

    /** A new certificate from the ACME authority, written over the kept {@code acme.crt} and {@code acme.key}. */
    static ServerCertificate issueFromAcme(ServerConfig.Tls tls, Path directory) {
        return new AcmeIssuer(tls.acme(), tls.serverName())
                .issue(directory.resolve("acme-account.key"), directory.resolve("acme.crt"), directory.resolve("acme.key"));
    }

    /** Whether the certificate has come within the renewal window of its end. */
    static boolean renewalDue(ServerCertificate certificate, ServerConfig.Acme acme, java.time.Instant now) {
        return !certificate.certificate().getNotAfter().toInstant().isAfter(now.plus(acme.renewBefore()));
    }

    private static java.util.List<String> subjectAlternativeNames(ServerCertificate certificate) {
        try {
            var names = certificate.certificate().getSubjectAlternativeNames();
            return names == null ? java.util.List.of()
                    : names.stream().map(entry -> String.valueOf(entry.get(1))).toList();
        } catch (java.security.cert.CertificateParsingException e) {
            return java.util.List.of();
        }
    }

    /** Jetty's TLS engine: this certificate, TLS 1.2 and 1.3 only, Jetty's modern cipher suites. */
    public SslContextFactory.Server sslContextFactory() {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        serve(factory, certificate);
        factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        // Jetty's default exclusions drop the weak suites (RC4, 3DES, export, NULL, non-forward-secret RSA kx).
        factory.setSniRequired(false);
        return factory;
    }

    /** Puts the certificate in the factory's key store: at start, and in a reload when a renewal replaces it. */
    static void serve(SslContextFactory factory, ServerCertificate certificate) {
        factory.setKeyStore(certificate.keyStore("arbor", new char[0]));
        factory.setKeyStorePassword("");
    }

    /** The same server presenting a certificate that replaced this one while it ran. */
    ServerTls renewed(ServerCertificate replacement) {
        return new ServerTls(replacement, true, certFile);
    }
}
