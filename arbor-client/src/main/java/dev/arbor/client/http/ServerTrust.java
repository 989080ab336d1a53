package dev.arbor.client.http;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * A client's trust in the server it dialled, whichever way the TLS engine asks (plain, with its socket, with its
 * engine): each way checks the same chain through {@link #checkServer}, and a server's request that the client
 * authenticate by certificate is refused. The pinned certificate ({@link PinnedCertificate}) and the QUIC client's
 * authority-and-host-name trust differ only in that check.
 */
public abstract class ServerTrust extends X509ExtendedTrustManager {

    /** Checks a chain that is never empty (an empty one is refused before). */
    protected abstract void checkServer(X509Certificate[] chain, String authType) throws CertificateException;

    private void checkPresented(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server presented no certificate");
        }
        checkServer(chain, authType);
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkPresented(chain, authType);
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkPresented(chain, authType);
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkPresented(chain, authType);
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client does not authenticate clients");
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
