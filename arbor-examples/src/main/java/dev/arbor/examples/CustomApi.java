package dev.arbor.examples;

import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.api.custom.Api;
import dev.arbor.api.custom.ApiException;
import dev.arbor.api.custom.ApiPermission;
import dev.arbor.api.permission.PermissionGroup;
import dev.arbor.api.permission.ResourceName;
import dev.arbor.api.permission.Statement;
import dev.arbor.core.error.ArborException;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import dev.arbor.server.auth.Accounts;
import dev.arbor.server.auth.ServerAuth;

import java.nio.file.Path;
import java.util.List;

/**
 * The BonsaiDb book's custom API example in Java: the server defines a {@code Ping} API anyone connected may call and
 * an {@code IncrementCounter} API that needs a permission of its own ({@code api.increment_counter}), with a typed
 * error; clients connect over the network as different users and call them.
 */
public final class CustomApi implements Example {
    record Ping() {}
    record Pong(String caller) {}
    record IncrementCounter(String counter, long amount) {}
    record Counter(String counter, long value) {}
    record CounterError(String reason) {}

    /** The descriptors: shared by the server, which handles them, and the clients, which call them. */
    static final Api<Ping, Pong> PING = Api.of("ping", Ping.class, Pong.class).openToAll();
    static final Api<IncrementCounter, Counter> INCREMENT = Api.of("increment-counter", IncrementCounter.class, Counter.class)
            .requires(new ApiPermission("api.increment_counter", ResourceName.api("counters")))
            .errors(CounterError.class);

    @Override
    public void run(Path dataDir) throws Exception {
        Storage storage = Arbor.storage(dataDir.resolve("data"));
        ServerAuth auth = ServerAuth.open(dataDir, storage, "admin:secret");
        ServerConfig config = ServerConfig.defaults(dataDir).withPort(0).withAccessLog(false);
        ArborServer.Builder builder = ArborServer.builder(config, auth.guard(storage)).accessControl(auth)
                .api(PING, (ping, caller) -> new Pong(caller.user() == null ? "(anonymous)" : caller.user()))
                .api(INCREMENT, (increment, caller) -> {
                    if (increment.amount() <= 0) {
                        throw new ApiException(new CounterError("a counter only goes up, not by " + increment.amount()));
                    }
                    // The handler's own storage, not the caller's: callers need the API's permission, not kv.set.
                    var counters = storage.databaseOrCreate("counters").keyValue().orElseThrow();
                    return new Counter(increment.counter(), counters.increment(increment.counter(), increment.amount()));
                });
        try (ArborServer server = builder.start()) {
            // Who may count: the group "counting" grants the API's action; "carol" is in it, "dave" is not.
            Accounts accounts = Accounts.open(dataDir, storage);
            accounts.putGroup(new PermissionGroup("counting", List.of(new Statement(
                    List.of(ResourceName.api("counters")), List.of("api.increment_counter")))));
            accounts.putUser("carol", "carolpw", List.of(), List.of("counting"));
            accounts.putUser("dave", "davepw", List.of(), List.of());
            String address = "127.0.0.1:" + server.port();
            System.out.println("server listening on ws://" + address);

            try (Storage anonymous = Arbor.storage("ws://" + address)) {
                System.out.println("anonymous ping: " + anonymous.api(PING).call(new Ping()));
                tryIncrement("anonymous", anonymous);
            }
            try (Storage dave = Arbor.storage("ws://dave:davepw@" + address)) {
                System.out.println("dave ping: " + dave.api(PING).call(new Ping()));
                tryIncrement("dave", dave);
            }
            try (Storage carol = Arbor.storage("ws://carol:carolpw@" + address)) {
                tryIncrement("carol", carol);
                Counter counter = carol.api(INCREMENT).callAsync(new IncrementCounter("visits", 41)).join();
                System.out.println("carol, asynchronously: " + counter);
                try {
                    carol.api(INCREMENT).call(new IncrementCounter("visits", -1));
                } catch (ApiException e) {
                    System.out.println("carol decrementing: the API's error " + e.error(CounterError.class));
                }
            }
        }
    }

    private static void tryIncrement(String who, Storage client) {
        try {
            System.out.println(who + " increments: " + client.api(INCREMENT).call(new IncrementCounter("visits", 1)));
        } catch (ArborException refused) {
            System.out.println(who + " increments: refused, " + refused.error() + " (" + refused.reason() + ")");
        }
    }
}
