/**
 * CouchDB's view collation: the order in which view keys, Mango index keys and {@code startkey}/{@code endkey}
 * bounds are compared.
 *
 * <p>{@link dev.arbor.core.collate.Collation} is the comparator itself. {@link dev.arbor.core.collate.KeyEncoding}
 * turns a key into bytes whose unsigned lexicographic order is the same order, so a sorted key-value store
 * (RocksDB, a {@code TreeMap<byte[],...>}) can hold view rows in collation order and answer range queries
 * without decoding anything.
 */
package dev.arbor.core.collate;
