package dev.arbor.api;

/**
 * {@code GET /db/_partition/{partition}}: how many documents the partition holds, live and deleted, and the
 * size of their JSON ({@code external}) and of their stored records ({@code active}), in bytes.
 */
public record PartitionInfo(String dbName, String partition, long docCount, long docDelCount, long sizeActive,
                            long sizeExternal) {}
