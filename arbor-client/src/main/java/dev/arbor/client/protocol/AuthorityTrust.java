package dev.arbor.client.protocol;

import dev.arbor.client.http.ServerTrust;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

/**
 * Trust in certificate authorities for QUIC: the chain is validated by the JDK's PKIX trust manager ({@code factory}'s,
 * the JDK's trust store or a given one), and the server's certificate must name the host dialled, as HTTPS checks it
 * (RFC 6125: a DNS name, its left-most label possibly {@code *}, or an IP address, among the subject alternative names).
 *
 * <p>Why not hand Netty the JDK's trust manager: it checks through the TLS engine's handshake session, which Netty's
 * QUIC engine fills too little for it (every certificate is refused), so the chain is checked without the engine here
 * and the name beside it.
 */
final class AuthorityTrust extends ServerTrust {
    private final X509TrustManager pkix;
    private final String host;

    AuthorityTrust(TrustManagerFactory factory, String host) {
        this.pkix = java.util.Arrays.stream(factory.getTrustManagers())
                .filter(X509TrustManager.class::isInstance).map(X509TrustManager.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("the trust store gives no X.509 trust manager"));
        this.host = host;
    }

    @Override
    protected void checkServer(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkServerTrusted(chain, authType == null || authType.isEmpty() ? "UNKNOWN" : authType);
        if (!names(chain[0], host)) {
            throw new CertificateException("the server's certificate does not name " + host);
        }
    }

    /** Whether {@code certificate}'s subject alternative names include {@code host}. */
    static boolean names(X509Certificate certificate, String host) throws CertificateParsingException {
        var alternatives = certificate.getSubjectAlternativeNames();
        if (alternatives == null) {
            return false;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean isAddress = literal.contains(":") || literal.matches("[0-9]+(\\.[0-9]+){3}");
        for (List<?> entry : alternatives) {
            int type = (Integer) entry.get(0);
            String value = String.valueOf(entry.get(1));
            if (isAddress && type == 7 && sameAddress(literal, value)) {
                return true;
            }
            if (!isAddress && type == 2 && dnsMatches(value, literal)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameAddress(String a, String b) {
        try {
            // Both are literals, so no lookup happens; this only normalises IPv6's spellings.
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean dnsMatches(String pattern, String host) {
        String p = IDN.toASCII(pattern).toLowerCase(Locale.ROOT);
        String h = IDN.toASCII(host).toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(p.substring(1));
        }
        return p.equals(h);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
