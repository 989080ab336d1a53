package dev.arbor.collection;

/**
 * A record as stored: its header (key and revision) and contents, BonsaiDb's {@code CollectionDocument}. Pass it
 * back to {@link CollectionHandle#update} or {@link CollectionHandle#delete}: the header's revision is checked.
 *
 * @param <T> the record type
 * @param <K> the primary-key type
 */
public record CollectionDocument<T, K>(Header<K> header, T contents) {

    /** The document's identity: its primary key, and the revision this copy was read or written at. */
    public record Header<K>(K id, String rev) {}

    public K id() {
        return header.id();
    }

    /** The same header with other contents: what {@link CollectionHandle#update} takes to change a record. */
    public CollectionDocument<T, K> withContents(T newContents) {
        return new CollectionDocument<>(header, newContents);
    }
}
