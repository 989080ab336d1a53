package dev.arbor.bench.network;

import dev.arbor.bench.workload.NotApplicable;

/** Whether the Redis anchor can run here, for tests that need it. */
public final class RedisServerAccess {
    private RedisServerAccess() {}

    public static boolean installed() {
        try {
            RedisServer.executable();
            return true;
        } catch (NotApplicable e) {
            return false;
        }
    }
}
