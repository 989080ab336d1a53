package dev.arbor.collection;

/**
 * Pushes from many threads through one protocol connection, the ids taken from the server's counters: distinct, and
 * no gaps when nothing fails.
 */
class ConcurrentPushOverProtocolTest extends ConcurrentPushTest {
    @Override
    CollectionDatabase open(Schema schema) {
        return OverProtocol.open(dir, schema);
    }
}
