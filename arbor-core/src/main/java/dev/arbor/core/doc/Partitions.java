package dev.arbor.core.doc;

import dev.arbor.core.error.ArborException;

import java.nio.charset.StandardCharsets;

/**
 * CouchDB's partitioned databases: every document id (except {@code _design/} and {@code _local/} ones) is
 * {@code partition:docid}, and a partition's documents are exactly the ids in {@code ["p:", "p;")} (';'
 * follows ':'), one contiguous range in raw id order. Rules and error texts are CouchDB's
 * {@code couch_partition}.
 */
public final class Partitions {
    private static final char SEPARATOR = ':';

    private Partitions() {}

    /** {@code illegal_partition} (400) unless {@code partition} may name a partition. */
    public static String validatePartition(String partition) {
        if (partition == null) {
            throw new ArborException.BadRequest("illegal_partition", "Partition must be a string");
        }
        if (partition.isEmpty()) {
            throw new ArborException.BadRequest("illegal_partition", "Partition must not be empty");
        }
        if (partition.startsWith("_")) {
            throw new ArborException.BadRequest("illegal_partition", "Partition must not start with an underscore");
        }
        if (partition.indexOf(SEPARATOR) >= 0) {
            throw new ArborException.BadRequest("illegal_partition", "Partition must not contain a colon");
        }
        return partition;
    }

    /**
     * The id rules of a partitioned database, on top of {@link DocumentParser#validateId}: {@code _design/} and
     * {@code _local/} ids are exempt; every other id is {@code partition:docid} with a valid partition and a
     * non-empty docid. CouchDB checks the whole id first, so {@code "_x:1"} fails on its underscore.
     */
    public static String validateDocId(String id) {
        DocumentParser.validateId(id);
        if (id.startsWith(DocumentParser.DESIGN_PREFIX) || id.startsWith(DocumentParser.LOCAL_PREFIX)) {
            return id;
        }
        int colon = id.indexOf(SEPARATOR);
        if (colon < 0) {
            throw new ArborException.BadRequest("illegal_docid", "Doc id must be of form partition:id");
        }
        validatePartition(id.substring(0, colon));
        DocumentParser.validateId(id.substring(colon + 1));
        return id;
    }

    /** The partition of a partitioned id, or null for ids outside every partition ({@code _design/...}). */
    public static String partitionOf(String id) {
        if (id.startsWith("_")) {
            return null;
        }
        int colon = id.indexOf(SEPARATOR);
        return colon < 0 ? null : id.substring(0, colon);
    }

    public static boolean isMember(String id, String partition) {
        return partition.equals(partitionOf(id));
    }

    /** The first id of the partition's range (inclusive): {@code "p:"}. */
    public static String startId(String partition) {
        return partition + SEPARATOR;
    }

    /** Just past the partition's range (exclusive): {@code "p;"}. */
    public static String endId(String partition) {
        return partition + (char) (SEPARATOR + 1);
    }

    public static byte[] startKey(String partition) {
        return startId(partition).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] endKey(String partition) {
        return endId(partition).getBytes(StandardCharsets.UTF_8);
    }
}
