package dev.arbor.server.auth;

import dev.arbor.api.Storage;

import java.nio.file.Path;
import java.time.Clock;

/** Opens {@link ServerAuth} on a clock the test sets, for tests outside this package: cookies expire when told to. */
public final class ServerAuthClock {
    private ServerAuthClock() {}

    public static ServerAuth open(Path dataDir, Storage storage, String arborAdmin, Clock clock) {
        return ServerAuth.open(dataDir, storage, arborAdmin, clock);
    }
}
