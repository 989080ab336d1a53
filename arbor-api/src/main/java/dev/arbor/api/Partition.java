package dev.arbor.api;

import dev.arbor.api.find.Explain;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewResult;
import dev.arbor.api.view.ViewSink;

/**
 * One partition of a partitioned {@link Database} ({@link Database#partition}): the documents whose ids are
 * {@code name:...}. Every read here is scoped to them; writes go through the database as usual.
 */
public interface Partition {

    /** The database this partition belongs to. */
    Database database();

    String name();

    /** {@code GET /db/_partition/{p}}. */
    PartitionInfo info();

    /**
     * {@code /db/_partition/{p}/_all_docs}: as {@link Database#allDocs}, over the partition's ids only
     * ({@code total_rows} counts the partition's documents). Key ranges are clipped to the partition, and a
     * {@code keys} entry from another partition answers {@code not_found}.
     */
    void allDocs(AllDocsOptions options, AllDocsSink sink);

    default AllDocsResult allDocs(AllDocsOptions options) {
        var collector = new AllDocsResult.Collector();
        allDocs(options, collector);
        return collector.result();
    }

    /**
     * {@code /db/_partition/{p}/_find}: as {@link Database#find}, over the partition's documents, with the
     * partitioned indexes (a partition query never reads a global index, as in CouchDB).
     */
    FindResult find(FindRequest request);

    /** {@code /db/_partition/{p}/_explain}. */
    Explain explain(FindRequest request);

    /**
     * {@code /db/_partition/{p}/_design/{ddoc}/_view/{view}}: as {@link Database#query}, over the partition's rows
     * of a partitioned view ({@code total_rows} and {@code offset} count the partition's rows). CouchDB's
     * {@code query_parse_error} "`partition` parameter is not supported in this design doc" for a design
     * document with {@code options.partitioned: false}; a partitioned view refuses global queries likewise.
     */
    void query(String ddoc, String view, ViewQuery query, ViewSink sink);

    default ViewResult query(String ddoc, String view, ViewQuery query) {
        var collector = new ViewResult.Collector();
        query(ddoc, view, query, collector);
        return collector.result();
    }
}
