package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.custom.Api;
import dev.arbor.api.custom.ApiException;
import dev.arbor.api.custom.ApiPermission;
import dev.arbor.api.permission.PermissionGroup;
import dev.arbor.api.permission.ResourceName;
import dev.arbor.api.permission.Statement;
import dev.arbor.client.protocol.ProtocolConnection;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Custom server APIs over the protocol, against a real server with logins on: the permission an API declares is decided
 * before its handler runs, the handler sees its caller and the storage as the caller may use it, and what it answers or
 * throws reaches the caller as the API declared it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomApiTest {
    record Ping() {}
    record Pong(String user, List<String> roles) {}
    record Increment(String counter, long by) {}
    record Count(long value) {}
    record CounterError(String counter, String problem) {}
    record ReadDoc(String db, String id) {}
    record Readable(boolean readable) {}

    static final Api<Ping, Pong> PING = Api.of("ping", Ping.class, Pong.class).openToAll();
    static final Api<Increment, Count> INCREMENT = Api.of("increment-counter", Increment.class, Count.class)
            .requires(new ApiPermission("api.increment_counter", ResourceName.api("counters")))
            .errors(CounterError.class);
    /** Guarded by the default permission, api.call on ["arbor", "api", "read-doc"]. */
    static final Api<ReadDoc, Readable> READ_DOC = Api.of("read-doc", ReadDoc.class, Readable.class);
    static final Api<Ping, Pong> NOT_SERVED = Api.of("not-served", Ping.class, Pong.class).openToAll();

    static final AtomicInteger incrementsRun = new AtomicInteger();

    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer(builder -> builder
            .api(PING, (ping, caller) -> new Pong(caller.user(), caller.roles()))
            .api(INCREMENT, (increment, caller) -> {
                incrementsRun.incrementAndGet();
                if (increment.by() < 0) {
                    throw new ApiException(new CounterError(increment.counter(), "counters only go up"));
                }
                if (increment.counter().isEmpty()) {
                    throw new ArborException.BadRequest("bad_request", "a counter has a name");
                }
                // The server's own storage, held by the handler: callers need the API's action, not kv.set.
                return new Count(CustomApiTest.server.storage().databaseOrCreate("counters").keyValue().orElseThrow()
                        .increment(increment.counter(), increment.by()));
            })
            .api(READ_DOC, (read, caller) -> {
                try {
                    caller.storage().database(read.db()).get(read.id());
                    return new Readable(true);
                } catch (ArborException.Forbidden | ArborException.NotFound refused) {
                    return new Readable(false);
                }
            }));

    @BeforeAll
    void users() {
        server.accounts().putGroup(new PermissionGroup("counting", List.of(new Statement(
                List.of(ResourceName.api("counters")), List.of("api.increment_counter")))));
        server.accounts().putUser("counter", "counterpw", List.of(), List.of("counting"));
        server.accounts().putUser("nobody", "nobodypw", List.of(), List.of());
        server.accounts().putGroup(new PermissionGroup("api-callers", List.of(Statement.grantAll(
                ResourceName.of("arbor", "api"), "api"))));
        server.accounts().putUser("caller", "callerpw", List.of(), List.of("api-callers"));
        Database secret = server.storage().createDatabase("secret");
        secret.setSecurity(Json.parseObject("{\"members\":{\"names\":[\"nobody\"],\"roles\":[]},\"admins\":{\"names\":[],\"roles\":[]}}"));
        secret.put(Json.parseObject("{\"_id\":\"d\"}"));
    }

    private static ProtocolStorage anonymous() {
        return new ProtocolStorage(ProtocolConnection.open(URI.create("ws://127.0.0.1:" + server.port()), Duration.ofSeconds(30)));
    }

    @Test
    void anOpenApiAnswersAnyoneConnectedAndNamesTheCaller() {
        try (ProtocolStorage anonymous = anonymous(); ProtocolStorage counter = server.connect("counter", "counterpw")) {
            assertEquals(new Pong(null, List.of()), anonymous.api(PING).call(new Ping()));
            assertEquals(new Pong("counter", List.of()), counter.api(PING).call(new Ping()));
        }
    }

    @Test
    void aUserGrantedTheApisOwnActionCallsItAndSoDoesAServerAdmin() {
        try (ProtocolStorage counter = server.connect("counter", "counterpw"); ProtocolStorage admin = server.connectAsAdmin()) {
            long first = counter.api(INCREMENT).call(new Increment("granted", 2)).value();
            assertEquals(first + 3, admin.api(INCREMENT).call(new Increment("granted", 3)).value());
        }
    }

    @Test
    void aUserWithoutTheApisActionIsForbiddenBeforeTheHandlerRuns() {
        try (ProtocolStorage nobody = server.connect("nobody", "nobodypw")) {
            int before = incrementsRun.get();
            ArborException.Forbidden refused = assertThrows(ArborException.Forbidden.class,
                    () -> nobody.api(INCREMENT).call(new Increment("refused", 1)));
            assertTrue(refused.reason().contains("api.increment_counter"), refused.reason());
            assertEquals(before, incrementsRun.get(), "the handler never ran");
            assertTrue(server.storage().databaseOrCreate("counters").keyValue().orElseThrow().get("refused").isEmpty());
        }
    }

    @Test
    void anAnonymousCallerOfAGuardedApiIsUnauthorized() {
        try (ProtocolStorage anonymous = anonymous()) {
            assertThrows(ArborException.Unauthorized.class, () -> anonymous.api(INCREMENT).call(new Increment("x", 1)));
            assertThrows(ArborException.Unauthorized.class, () -> anonymous.api(READ_DOC).call(new ReadDoc("secret", "d")));
        }
    }

    @Test
    void theDefaultPermissionIsApiCallOnTheApisName() {
        try (ProtocolStorage caller = server.connect("caller", "callerpw"); ProtocolStorage counter = server.connect("counter", "counterpw")) {
            assertEquals(new Readable(false), caller.api(READ_DOC).call(new ReadDoc("secret", "d")));
            assertThrows(ArborException.Forbidden.class, () -> counter.api(READ_DOC).call(new ReadDoc("secret", "d")));
        }
    }

    @Test
    void theHandlersStorageIsTheCallersSoItReadsNoMoreThanTheCallerMay() {
        try (ProtocolStorage caller = server.connect("caller", "callerpw"); ProtocolStorage admin = server.connectAsAdmin()) {
            assertEquals(new Readable(false), caller.api(READ_DOC).call(new ReadDoc("secret", "d")), "not a member");
            assertEquals(new Readable(true), admin.api(READ_DOC).call(new ReadDoc("secret", "d")));
        }
    }

    @Test
    void theApisOwnErrorReachesTheCallerAsItsRecord() {
        try (ProtocolStorage counter = server.connect("counter", "counterpw")) {
            ApiException failed = assertThrows(ApiException.class, () -> counter.api(INCREMENT).call(new Increment("down", -1)));
            assertEquals(new CounterError("down", "counters only go up"), failed.error(CounterError.class));
        }
    }

    @Test
    void anArborExceptionFromTheHandlerReachesTheCallerAsItsKind() {
        try (ProtocolStorage counter = server.connect("counter", "counterpw")) {
            ArborException.BadRequest failed = assertThrows(ArborException.BadRequest.class,
                    () -> counter.api(INCREMENT).call(new Increment("", 1)));
            assertEquals("a counter has a name", failed.reason());
        }
    }

    @Test
    void anApiTheServerDoesNotServeIsNotFound() {
        try (ProtocolStorage admin = server.connectAsAdmin()) {
            ArborException.NotFound missing = assertThrows(ArborException.NotFound.class, () -> admin.api(NOT_SERVED).call(new Ping()));
            assertTrue(missing.reason().contains("not-served"), missing.reason());
        }
    }

    @Test
    void aRequestThatIsNotTheApisRecordIsABadRequestAndTheConnectionGoesOn() {
        try (ProtocolConnection connection = ProtocolConnection.open(server.uri("counter", "counterpw"), Duration.ofSeconds(30))) {
            var args = Values.object().put("name", INCREMENT.name());
            args.set("request", TextNode.valueOf("not a record"));
            assertThrows(ArborException.BadRequest.class, () -> connection.call(Op.API_CALL, args));
            assertThrows(ArborException.BadRequest.class, () -> connection.call(Op.API_CALL,
                    Values.object().put("name", INCREMENT.name())), "no request at all");
            var ok = Values.object().put("name", PING.name());
            ok.set("request", Values.object());
            assertEquals("counter", connection.call(Op.API_CALL, ok).path("ok").path("user").asText());
        }
    }

    @Test
    void asyncCallsRunTogetherOnOneConnectionAndEachGetsItsOwnAnswer() throws Exception {
        try (ProtocolStorage counter = server.connect("counter", "counterpw")) {
            List<CompletableFuture<Count>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(counter.api(INCREMENT).callAsync(new Increment("async", 1)));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
            List<Long> values = calls.stream().map(CompletableFuture::join).map(Count::value).sorted().toList();
            assertEquals(java.util.stream.LongStream.rangeClosed(values.getFirst(), values.getFirst() + 19).boxed().toList(), values,
                    "each increment answered once, with its own value");
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> counter.api(INCREMENT).callAsync(new Increment("async", -1)).get());
            assertInstanceOf(ApiException.class, failed.getCause());
        }
    }

    @Test
    void aSecondApiOfTheSameNameIsRefusedWhenTheServerIsAssembled(@TempDir Path dir) {
        ArborServer.Builder builder = ArborServer.builder(ServerConfig.defaults(dir).withPort(0), Arbor.inMemoryStorage());
        builder.api(PING, (ping, caller) -> new Pong(null, List.of()));
        var refused = assertThrows(IllegalArgumentException.class, () -> builder.api(PING, (ping, caller) -> null));
        assertTrue(refused.getMessage().contains("ping"), refused.getMessage());
    }

    @Test
    void anEmbeddedStorageHasNoCustomApisAndSaysWhereTheyAre() {
        try (Storage embedded = Arbor.inMemoryStorage()) {
            var refused = assertThrows(UnsupportedOperationException.class, () -> embedded.api(PING));
            assertTrue(refused.getMessage().contains("ws://"), refused.getMessage());
        }
    }

    @Test
    void anApiNeedingADatabaseActionIsDecidedByThatDatabasesPermissions() {
        Api<Ping, Pong> secretPing = Api.of("ping", Ping.class, Pong.class).requires(
                ApiPermission.of(dev.arbor.api.permission.Action.DATABASE_READ_DOCUMENT, ResourceName.database("secret")));
        assertEquals("secret", secretPing.permission().database());
        assertNull(INCREMENT.permission().database());
    }
}
