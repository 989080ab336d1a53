package dev.arbor.replication;

import dev.arbor.api.Database;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * A real database seen through a hook that runs before each call: the hook may count calls or throw
 * (to inject a peer's failure). Every call that gets past the hook reaches the real database.
 */
final class InterceptedDatabase {
    @FunctionalInterface
    interface Hook {
        void before(String method);
    }

    private InterceptedDatabase() {}

    static Database wrap(Database real, Hook hook) {
        return (Database) Proxy.newProxyInstance(Database.class.getClassLoader(), new Class<?>[]{Database.class},
                (proxy, method, args) -> {
                    hook.before(method.getName());
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
