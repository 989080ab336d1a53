package dev.arbor.replication;

import dev.arbor.api.Database;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * A real database seen through a hook around each call: the hook may count calls, look at answers, or
 * throw before the call (to inject a peer's failure). Every call that gets past the hook reaches the
 * real database.
 */
final class InterceptedDatabase {
    interface Hook {
        default void before(String method) { }

        default void after(String method, Object result) { }
    }

    private InterceptedDatabase() {}

    static Database wrap(Database real, Hook hook) {
        return (Database) Proxy.newProxyInstance(Database.class.getClassLoader(), new Class<?>[]{Database.class},
                (proxy, method, args) -> {
                    hook.before(method.getName());
                    try {
                        Object result = method.invoke(real, args);
                        hook.after(method.getName(), result);
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
