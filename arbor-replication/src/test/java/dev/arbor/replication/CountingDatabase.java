package dev.arbor.replication;

import dev.arbor.api.BulkGetResult;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.Database;
import dev.arbor.api.OpenRev;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A real database that counts what is read from it, for tests that pin how much work a replication does:
 * changes rows delivered, revisions asked about in {@code revs_diff}, revisions fetched ({@code bulk_get} or
 * {@code open_revs}), and every call by method name. Every call reaches the real database unchanged; this is
 * instrumentation, not a stand-in.
 *
 * <p>Threads: the replicator calls from its own, writer and fetch threads; the counters are atomic.
 */
final class CountingDatabase {
    /** Calls that read documents, their revisions or the changes log (local documents and writes are not reads of the data). */
    static final Set<String> DATA_READS = Set.of("get", "getOpenRevs", "allDocs", "changes", "revsDiff", "bulkGet",
            "find", "query", "getAttachment");

    private final Database database;
    private final AtomicLong changesRows = new AtomicLong();
    private final AtomicLong revsDiffEntries = new AtomicLong();
    private final AtomicLong revisionsFetched = new AtomicLong();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

    CountingDatabase(Database real) {
        this.database = (Database) Proxy.newProxyInstance(Database.class.getClassLoader(), new Class<?>[]{Database.class},
                (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), name -> new AtomicLong()).incrementAndGet();
                    if (method.getName().equals("changes") && args.length == 2 && args[1] instanceof Consumer<?> rows) {
                        args = new Object[]{args[0], countingRows(rows)};
                    }
                    if (method.getName().equals("revsDiff") && args[0] instanceof Map<?, ?> revs) {
                        revs.values().forEach(list -> revsDiffEntries.addAndGet(((List<?>) list).size()));
                    }
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("bulkGet")) {
                        for (Object answer : (List<?>) result) {
                            revisionsFetched.addAndGet(((BulkGetResult) answer).docs().stream()
                                    .filter(BulkGetResult.Ok.class::isInstance).count());
                        }
                    } else if (method.getName().equals("getOpenRevs")) {
                        revisionsFetched.addAndGet(((List<?>) result).stream().filter(OpenRev.Found.class::isInstance).count());
                    }
                    return result;
                });
    }

    @SuppressWarnings("unchecked")
    private Consumer<ChangeRow> countingRows(Consumer<?> rows) {
        Consumer<ChangeRow> downstream = (Consumer<ChangeRow>) rows;
        return row -> {
            changesRows.incrementAndGet();
            downstream.accept(row);
        };
    }

    Database database() {
        return database;
    }

    /** What was read since the last {@link #reset()}. */
    record Reads(long changesRows, long revsDiffEntries, long revisionsFetched, Map<String, Long> calls) {
        long calls(String method) {
            return calls.getOrDefault(method, 0L);
        }

        long dataReadCalls() {
            return calls.entrySet().stream().filter(e -> DATA_READS.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        }
    }

    Reads reads() {
        Map<String, Long> snapshot = new java.util.TreeMap<>();
        calls.forEach((name, count) -> snapshot.put(name, count.get()));
        return new Reads(changesRows.get(), revsDiffEntries.get(), revisionsFetched.get(), snapshot);
    }

    void reset() {
        changesRows.set(0);
        revsDiffEntries.set(0);
        revisionsFetched.set(0);
        calls.clear();
    }
}
