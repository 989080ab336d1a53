package dev.arbor.collection;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every transaction behaviour, with the database on a real server reached over the Arbor protocol: the commit is one
 * operation, written there in one batch, all or none.
 */
class TransactionOverProtocolTest extends TransactionTest {
    @TempDir
    Path dir;
    private final AtomicInteger opened = new AtomicInteger();

    @Override
    CollectionDatabase open(Schema schema) {
        return OverProtocol.open(dir.resolve("server-" + opened.incrementAndGet()), schema);
    }
}
