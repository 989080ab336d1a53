package dev.arbor.api;

/** A registration that ends when closed. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
