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
        Path certFile = dataDir.resolve(DIRECTORY).resolve("server.crt");
        Path keyFile = dataDir.resolve(DIRECTORY).resolve("server.key");
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            return new ServerTls(ServerCertificate.fromPem(certFile, keyFile), false, certFile);
        }
        ServerCertificate made = ServerCertificate.selfSigned(tls.serverName());
        made.writePem(certFile, keyFile);
        return new ServerTls(made, true, certFile);
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
