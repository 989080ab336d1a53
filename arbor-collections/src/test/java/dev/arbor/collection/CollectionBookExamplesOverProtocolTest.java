package dev.arbor.collection;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The BonsaiDb book's collection examples with the database on a real server reached over the Arbor protocol: ids
 * from the server's counters, records as documents there, the async mirror on the same connection.
 */
class CollectionBookExamplesOverProtocolTest extends CollectionBookExamplesTest {
    private final AtomicInteger fresh = new AtomicInteger();

    @Override
    CollectionDatabase open(Schema schema) {
        return OverProtocol.open(dir, schema);
    }

    @Override
    CollectionDatabase fresh(Schema schema) {
        return OverProtocol.open(dir.resolve("fresh-" + fresh.incrementAndGet()), schema);
    }
}
