package dev.arbor.server.protocol;

import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.Storage;
import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.client.protocol.ProtocolConnection;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Protocol;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The protocol over QUIC ({@code arbor://}): the same handshake, logins, pipelining and server stop as over the
 * WebSocket, on the server's UDP port with its self-signed certificate pinned.
 */
class QuicTransportTest {

    @Nested
    class Handshake {
        @RegisterExtension
        static final SecuredLoopbackServer server = new SecuredLoopbackServer();

        @Test
        void aHelloOfAnUnknownVersionIsAnsweredWithAClearErrorAndAClose() throws Exception {
            try (RawQuicClient raw = RawQuicClient.connect(server.quicPort(), server.quicFingerprint())) {
                raw.send(new Frame.Hello(Protocol.VERSION + 41));

                Frame.Failure failure = assertInstanceOf(Frame.Failure.class, raw.next());
                assertEquals(0, failure.id());
                assertEquals(Protocol.UNSUPPORTED_VERSION, failure.error());
                assertEquals("this server speaks version 1 of the Arbor protocol, not version 42", failure.reason());
                assertEquals(Protocol.CLOSE_PROTOCOL_ERROR, raw.closed.get(10, TimeUnit.SECONDS));
            }
        }

        @Test
        void aRequestBeforeTheHelloIsRefused() throws Exception {
            try (RawQuicClient raw = RawQuicClient.connect(server.quicPort(), server.quicFingerprint())) {
                raw.send(new Frame.Request(1, "storage.list", Json.object()));

                Frame.Failure failure = assertInstanceOf(Frame.Failure.class, raw.next());
                assertEquals("the first frame must be a hello naming the protocol version", failure.reason());
                assertEquals(Protocol.CLOSE_PROTOCOL_ERROR, raw.closed.get(10, TimeUnit.SECONDS));
            }
        }

        @Test
        void bytesThatAreNoFrameAreRefusedAndClose() throws Exception {
            try (RawQuicClient raw = RawQuicClient.connect(server.quicPort(), server.quicFingerprint())) {
                raw.sendBytes(new byte[] {(byte) 0xff, 0x00, 0x13});

                Frame.Failure failure = assertInstanceOf(Frame.Failure.class, raw.next());
                assertEquals(0, failure.id());
                assertEquals("bad_request", failure.error());
                assertEquals(Protocol.CLOSE_PROTOCOL_ERROR, raw.closed.get(10, TimeUnit.SECONDS));
            }
        }

        @Test
        void aFrameLongerThanTheLargestRequestBodyIsRefusedBeforeItIsReadAndCloses() throws Exception {
            try (RawQuicClient raw = RawQuicClient.connect(server.quicPort(), server.quicFingerprint())) {
                raw.send(new Frame.Hello(Protocol.VERSION, SecuredLoopbackServer.ADMIN, SecuredLoopbackServer.ADMIN_PASSWORD));
                assertInstanceOf(Frame.Welcome.class, raw.next());

                // A length of 100 MiB, over the default 64 MiB, and none of the bytes it announces.
                raw.sendUnframed(new byte[] {0x06, 0x40, 0x00, 0x00, 1, 2, 3});

                Frame.Failure failure = assertInstanceOf(Frame.Failure.class, raw.next());
                assertEquals(new Frame.Failure(0, 413, "too_large",
                        "a frame is at most 67108864 bytes (the server's max_http_request_size)"), failure);
                assertEquals(Protocol.CLOSE_PROTOCOL_ERROR, raw.closed.get(10, TimeUnit.SECONDS));
            }
        }

        @Test
        void theHellosCredentialsLogIn() throws Exception {
            try (RawQuicClient raw = RawQuicClient.connect(server.quicPort(), server.quicFingerprint())) {
                raw.send(new Frame.Hello(Protocol.VERSION, SecuredLoopbackServer.ADMIN, SecuredLoopbackServer.ADMIN_PASSWORD));
                assertEquals(new Frame.Welcome(Protocol.VERSION, SecuredLoopbackServer.ADMIN), raw.next());
            }
        }

        @Test
        void wrongCredentialsAreAFailureOfTheConnectionAndAClose() throws Exception {
            try (RawQuicClient raw = RawQuicClient.connect(server.quicPort(), server.quicFingerprint())) {
                raw.send(new Frame.Hello(Protocol.VERSION, SecuredLoopbackServer.ADMIN, "not-the-password"));

                Frame.Failure failure = assertInstanceOf(Frame.Failure.class, raw.next());
                assertEquals(0, failure.id());
                assertEquals(401, failure.status());
                assertEquals("unauthorized", failure.error());
                assertEquals(Protocol.CLOSE_POLICY_VIOLATION, raw.closed.get(10, TimeUnit.SECONDS));
            }
        }

        @Test
        void theJavaClientThrowsTheLoginsErrorForWrongCredentials() {
            ArborException.Unauthorized refused = assertThrows(ArborException.Unauthorized.class,
                    () -> server.connectOverQuic(SecuredLoopbackServer.ADMIN, "not-the-password"));
            assertEquals("unauthorized", refused.error());
        }

        @Test
        void anAnonymousConnectionIsRefusedWhatHttpRefusesAnonymousCallers() {
            URI anonymous = URI.create("arbor://127.0.0.1:" + server.quicPort() + "?pin=" + server.quicFingerprint());
            try (ProtocolStorage storage = new ProtocolStorage(ProtocolConnection.open(anonymous, Duration.ofSeconds(30)))) {
                assertThrows(ArborException.Unauthorized.class, () -> storage.createDatabase("not-for-anonymous"));
            }
        }

        @Test
        void aServerWhoseCertificateIsNeitherTrustedNorPinnedIsRefusedInTheHandshake() {
            URI unpinned = URI.create("arbor://" + SecuredLoopbackServer.ADMIN + ":" + SecuredLoopbackServer.ADMIN_PASSWORD
                    + "@127.0.0.1:" + server.quicPort());
            ArborException.Internal refused = assertThrows(ArborException.Internal.class,
                    () -> ProtocolConnection.open(unpinned, Duration.ofSeconds(10)));
            assertTrue(refused.reason().startsWith("cannot connect to arbor://127.0.0.1:" + server.quicPort()
                    + "/ over QUIC: the server's certificate is not trusted: "), refused.reason());
        }

        @Test
        void arborStorageAndOpenReachTheServerThroughAnArborUrl() {
            String root = "arbor://" + SecuredLoopbackServer.ADMIN + ":" + SecuredLoopbackServer.ADMIN_PASSWORD
                    + "@127.0.0.1:" + server.quicPort();
            String pin = "?pin=" + server.quicFingerprint();
            try (Storage storage = Arbor.storage(root + pin)) {
                storage.createDatabase("through-quic");
            }
            try (Database db = Arbor.open(root + "/through-quic" + pin)) {
                db.put(Json.parseObject("{\"_id\":\"a\"}"));
                assertEquals("arbor://127.0.0.1:" + server.quicPort() + "/through-quic/", db.name());
            }
            assertEquals("a", server.storage().database("through-quic").get("a").get("_id").asText());
        }
    }

    /** A server whose HTTP port speaks HTTPS shows QUIC clients the same certificate, which they may trust as a file. */
    @Nested
    class WithTheServersTls {
        @org.junit.jupiter.api.io.TempDir
        java.nio.file.Path root;

        @Test
        void quicPresentsTheHttpsCertificateAndAClientTrustingItsFileConnectsByName() throws Exception {
            dev.arbor.server.ServerConfig config = dev.arbor.server.ServerConfig.defaults(root).withPort(0).withAccessLog(false)
                    .withTls(dev.arbor.server.ServerConfig.Tls.selfSigned("localhost"));
            try (dev.arbor.server.ArborServer server = dev.arbor.server.ArborServer
                    .builder(config, Arbor.storage(root.resolve("data"))).quicPort(0).start()) {
                dev.arbor.server.tls.ServerTls https = server.tls().orElseThrow();
                assertEquals(https.certificate().fingerprint(), server.quicTls().orElseThrow().certificate().fingerprint());

                // No pin: the JDK's checks, the certificate's names against the host dialled, with the file as authority.
                URI trusting = URI.create("arbor://127.0.0.1:" + server.quicPort().orElseThrow() + "?trust=" + https.certFile());
                try (ProtocolStorage storage = new ProtocolStorage(ProtocolConnection.open(trusting, Duration.ofSeconds(30)))) {
                    storage.createDatabase("over-tls");
                    assertEquals(List.of("over-tls"), storage.listDatabases());
                }
            }
        }
    }

    /** A certificate from a trusted authority is still refused when it does not name the host dialled. */
    @Nested
    class HostNames {
        @org.junit.jupiter.api.io.TempDir
        java.nio.file.Path root;

        @Test
        void aTrustedCertificateThatDoesNotNameTheHostDialledIsRefused() throws Exception {
            // 127.0.0.2 is loopback too, but the self-signed certificate names only localhost, 127.0.0.1 and ::1.
            dev.arbor.server.ServerConfig config = new dev.arbor.server.ServerConfig("127.0.0.2", 0, root,
                    dev.arbor.server.ServerConfig.DEFAULT_MAX_REQUEST_BODY, Duration.ofSeconds(5), false,
                    dev.arbor.server.ServerConfig.Cors.OFF, dev.arbor.server.ServerConfig.Limits.DEFAULT,
                    dev.arbor.server.ServerConfig.DocumentLimits.DEFAULT, dev.arbor.server.ServerConfig.Tls.selfSigned("localhost"),
                    dev.arbor.server.ServerConfig.DEFAULT_DESIGN_FUNCTION_MEMORY_BUDGET);
            try (dev.arbor.server.ArborServer server = dev.arbor.server.ArborServer
                    .builder(config, Arbor.storage(root.resolve("data"))).quicPort(0).start()) {
                String certFile = server.tls().orElseThrow().certFile().toString();
                URI byAddress = URI.create("arbor://127.0.0.2:" + server.quicPort().orElseThrow() + "?trust=" + certFile);
                ArborException.Internal refused = assertThrows(ArborException.Internal.class,
                        () -> ProtocolConnection.open(byAddress, Duration.ofSeconds(10)));
                assertEquals("cannot connect to arbor://127.0.0.2:" + server.quicPort().orElseThrow() + "/ over QUIC: the"
                        + " server's certificate is not trusted: the server's certificate does not name 127.0.0.2", refused.reason());

                URI pinned = URI.create("arbor://127.0.0.2:" + server.quicPort().orElseThrow() + "?pin="
                        + server.quicTls().orElseThrow().certificate().fingerprint());
                try (ProtocolStorage storage = new ProtocolStorage(ProtocolConnection.open(pinned, Duration.ofSeconds(10)))) {
                    assertEquals(List.of(), storage.listDatabases(), "a pin names the server, whatever its address");
                }
            }
        }
    }

    /** Past the per-connection limit (4 here) further requests wait in QUIC's flow control rather than fail. */
    @Nested
    class Pipelining {
        @RegisterExtension
        static final SecuredLoopbackServer server = new SecuredLoopbackServer(4);

        @Test
        void aThousandConcurrentGetsOnOneConnectionEachGetTheirOwnDocument() throws Exception {
            Database local = server.storage().createDatabase("many");
            List<com.fasterxml.jackson.databind.node.ObjectNode> docs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                docs.add(Json.parseObject("{\"_id\":\"doc-" + i + "\",\"n\":" + i + "}"));
            }
            local.bulkDocs(docs).forEach(r -> assertEquals(DocResult.Ok.class, r.getClass()));

            try (ProtocolStorage remote = server.connectOverQuic(SecuredLoopbackServer.ADMIN, SecuredLoopbackServer.ADMIN_PASSWORD);
                 ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
                Database db = remote.database("many");
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    String id = "doc-" + i;
                    answers.add(callers.submit(() -> db.get(id).get("n").asInt()));
                }
                for (int i = 0; i < 1000; i++) {
                    assertEquals(i, answers.get(i).get());
                }
            }
        }
    }

    @Nested
    class ServerStop {
        @RegisterExtension
        static final SecuredLoopbackServer server = new SecuredLoopbackServer();

        @Test
        void stoppingTheServerEndsItsQuicConnectionsWithAClearErrorAndTheirSubscribers() throws Exception {
            // Without reconnection, so the transport's own end is what the caller sees (ReconnectionTest has the rest).
            try (ProtocolStorage remote = server.connectOverQuic(SecuredLoopbackServer.ADMIN, SecuredLoopbackServer.ADMIN_PASSWORD,
                    dev.arbor.client.protocol.Reconnect.NEVER);
                 Subscriber subscriber = remote.pubSub().orElseThrow().createSubscriber()) {
                subscriber.subscribeTo("t");
                long start = System.nanoTime();
                server.stop();
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "the stop did not wait for the connection");

                String closed = "the connection to arbor://127.0.0.1:" + server.quicPort() + "/ closed (1001 server stopping)";
                ArborException.Internal ended = assertThrows(ArborException.Internal.class,
                        () -> subscriber.receive(Duration.ofSeconds(10)), "a waiting receiver is told, not left waiting");
                assertEquals(closed, ended.reason());
                ArborException.Internal after = assertThrows(ArborException.Internal.class, remote::listDatabases);
                assertEquals(closed, after.reason());
            }
        }
    }
}
