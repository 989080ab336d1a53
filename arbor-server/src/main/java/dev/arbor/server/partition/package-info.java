/** {@code /{db}/_partition/{p}/...}: the partition-scoped reads of a partitioned database. */
package dev.arbor.server.partition;
