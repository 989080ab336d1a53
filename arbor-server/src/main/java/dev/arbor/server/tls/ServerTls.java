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

    /** How long before its end an ACME certificate is replaced at start. */
    static final java.time.Duration RENEW_BEFORE_END = java.time.Duration.ofDays(30);

    private static ServerTls fromAcme(ServerConfig.Tls tls, Path directory) {
        Path certFile = directory.resolve("acme.crt");
        Path keyFile = directory.resolve("acme.key");
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            ServerCertificate kept = ServerCertificate.fromPem(certFile, keyFile);
            java.time.Instant end = kept.certificate().getNotAfter().toInstant();
            boolean sameName = kept.certificate().getSubjectX500Principal().getName().contains("CN=" + tls.serverName())
                    || subjectAlternativeNames(kept).contains(tls.serverName());
            if (sameName && end.isAfter(java.time.Instant.now().plus(RENEW_BEFORE_END))) {
                return new ServerTls(kept, false, certFile);
            }
        }
        ServerCertificate issued = new AcmeIssuer(tls.acme(), tls.serverName())
                .issue(directory.resolve("acme-account.key"), certFile, keyFile);
        return new ServerTls(issued, true, certFile);
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
        char[] password = new char[0];
        factory.setKeyStore(certificate.keyStore("arbor", password));
        factory.setKeyStorePassword("");
        factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        // Jetty's default exclusions drop the weak suites (RC4, 3DES, export, NULL, non-forward-secret RSA kx).
        factory.setSniRequired(false);
        return factory;
    }
}
