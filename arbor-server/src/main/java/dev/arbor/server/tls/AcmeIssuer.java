package dev.arbor.server.tls;

import com.sun.net.httpserver.HttpServer;
import dev.arbor.server.ServerConfig;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.AbstractAcmeProvider;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Obtains the server's certificate from an ACME certificate authority (Let's Encrypt, or a private one such as
 * pebble or step-ca) with acme4j: an account key kept beside the certificate, one order for the server's name, the
 * HTTP-01 challenge answered by a small plain-HTTP responder that lives only while the authority validates, and the
 * issued chain written as PEM. Runs once at start, before the server listens; the caller reuses the certificate
 * until it nears its end.
 */
final class AcmeIssuer {
    /** How long the authority may take to validate and to issue. */
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private final ServerConfig.Acme settings;
    private final String serverName;

    AcmeIssuer(ServerConfig.Acme settings, String serverName) {
        this.settings = settings;
        this.serverName = serverName;
    }

    /** Issues a certificate for the server's name, writing it and its key as PEM to {@code certFile}/{@code keyFile}. */
    ServerCertificate issue(Path accountKeyFile, Path certFile, Path keyFile) {
        try {
            Session session = new Session(settings.directory(), new TrustingProvider(settings.caFile()));
            Account account = new AccountBuilder()
                    .agreeToTermsOfService()
                    .addEmail(settings.email() == null ? "admin@" + serverName : settings.email())
                    .useKeyPair(accountKey(accountKeyFile))
                    .create(session);
            Order order = account.newOrder().domain(serverName).create();
            try (ChallengeResponder responder = ChallengeResponder.start(settings.challengePort())) {
                for (Authorization authorization : order.getAuthorizations()) {
                    if (authorization.getStatus() == Status.VALID) {
                        continue;
                    }
                    Http01Challenge challenge = authorization.findChallenge(Http01Challenge.class)
                            .orElseThrow(() -> new IllegalStateException("the ACME authority offers no http-01 challenge"));
                    responder.answer(challenge.getToken(), challenge.getAuthorization());
                    challenge.trigger();
                    if (challenge.waitForCompletion(PATIENCE) != Status.VALID) {
                        throw new IllegalStateException("the ACME authority did not validate " + serverName + ": "
                                + challenge.getError().map(Object::toString).orElse("no reason given"));
                    }
                }
            }
            KeyPair domainKey = newKey();
            order.waitUntilReady(PATIENCE);
            order.execute(domainKey);
            if (order.waitForCompletion(PATIENCE) != Status.VALID) {
                throw new IllegalStateException("the ACME authority did not issue a certificate: "
                        + order.getError().map(Object::toString).orElse("no reason given"));
            }
            ServerCertificate issued = new ServerCertificate(domainKey.getPrivate(),
                    order.getCertificate().getCertificateChain());
            issued.writePem(certFile, keyFile);
            return issued;
        } catch (AcmeException | IOException e) {
            throw new IllegalStateException("cannot obtain a certificate from " + settings.directory() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while obtaining a certificate", e);
        }
    }

    /** The account's key: made on first use and kept, so the account, its orders and rate limits stay the same. */
    private static KeyPair accountKey(Path file) throws IOException {
        if (Files.exists(file)) {
            return ServerCertificate.readKeyPair(file);
        }
        KeyPair pair = newKey();
        ServerCertificate.writeKey(pair, file);
        return pair;
    }

    private static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * acme4j's generic provider, trusting the authority's own TLS certificate from a PEM file when one is given (a
     * private authority), else the JDK's certificate authorities.
     */
    private static final class TrustingProvider extends AbstractAcmeProvider {
        private final Path caFile;

        TrustingProvider(Path caFile) {
            this.caFile = caFile;
        }

        @Override
        public boolean accepts(URI serverUri) {
            return "https".equals(serverUri.getScheme());
        }

        @Override
        public URL resolve(URI serverUri) {
            try {
                return serverUri.toURL();
            } catch (java.net.MalformedURLException e) {
                throw new IllegalArgumentException(e);
            }
        }

        @Override
        protected HttpConnector createHttpConnector(NetworkSettings settings) {
            return new HttpConnector(settings) {
                @Override
                public HttpClient.Builder createClientBuilder() {
                    HttpClient.Builder builder = super.createClientBuilder();
                    return caFile == null ? builder : builder.sslContext(trusting(caFile));
                }
            };
        }

        private static SSLContext trusting(Path caFile) {
            try (InputStream in = Files.newInputStream(caFile)) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("ca" + i++, certificate);
                }
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trust.getTrustManagers(), null);
                return context;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot read the ACME authority's certificate in " + caFile + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Answers {@code GET /.well-known/acme-challenge/TOKEN} in plain HTTP on the challenge port, as HTTP-01 requires,
     * for as long as the validation lasts. Its own small server (the JDK's): the main port may speak only TLS.
     */
    private static final class ChallengeResponder implements AutoCloseable {
        private static final String PATH = "/.well-known/acme-challenge/";
        private final HttpServer server;
        private final Map<String, String> answers = new ConcurrentHashMap<>();

        private ChallengeResponder(HttpServer server) {
            this.server = server;
        }

        static ChallengeResponder start(int port) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
            ChallengeResponder responder = new ChallengeResponder(server);
            server.createContext(PATH, exchange -> {
                String token = exchange.getRequestURI().getPath().substring(PATH.length());
                String answer = responder.answers.get(token);
                byte[] body = (answer == null ? "" : answer).getBytes(StandardCharsets.US_ASCII);
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(answer == null ? 404 : 200, body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return responder;
        }

        void answer(String token, String keyAuthorization) {
            answers.put(token, keyAuthorization);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
