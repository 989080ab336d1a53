package dev.arbor.client.http;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
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
public final class PinnedCertificate extends ServerTrust {
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

    @Override
    protected void checkServer(X509Certificate[] chain, String authType) throws CertificateException {
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
}
