package dev.arbor.client.http;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Trust in exactly one server certificate, named by the SHA-256 fingerprint of its DER encoding: what a client of a
 * self-signed server does instead of trusting certificate authorities (BonsaiDb's certificate pinning). The pin
 * identifies the server, so no host name is checked; any other certificate, however well signed, is refused.
 */
public final class PinnedCertificate extends X509ExtendedTrustManager {
    private final byte[] fingerprint;
    private final String shown;

    /** @param sha256 hex, with or without colons, either case */
    public PinnedCertificate(String sha256) {
        String hex = sha256.replace(":", "").strip().toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a certificate pin is a SHA-256 fingerprint (64 hex digits), not " + sha256);
        }
        this.fingerprint = HexFormat.of().parseHex(hex);
        this.shown = HexFormat.ofDelimiter(":").withUpperCase().formatHex(fingerprint);
    }

    /** A TLS context that trusts only the pinned certificate. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {this}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server presented no certificate");
        }
        byte[] presented;
        try {
            presented = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new CertificateException(e);
        }
        if (!MessageDigest.isEqual(presented, fingerprint)) {
            throw new CertificateException("the server's certificate " + HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(presented) + " is not the pinned " + shown);
        }
        chain[0].checkValidity();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client does not authenticate clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
