package dev.arbor.engine.db;

import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsSink;
import dev.arbor.api.Database;
import dev.arbor.api.Partition;
import dev.arbor.api.PartitionInfo;
import dev.arbor.api.find.Explain;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewSink;
import dev.arbor.engine.doc.DocumentReads;
import dev.arbor.engine.mango.MangoQueries;
import dev.arbor.engine.view.EngineViews;

/**
 * One partition of an {@link EngineDatabase}: every read is that database's facets', bounded to the partition's id
 * range. Threads: as those facets, on the caller's thread.
 */
final class EnginePartition implements Partition {
    private final Database db;
    private final String name;
    private final DocumentReads reads;
    private final MangoQueries mango;
    private final EngineViews views;

    EnginePartition(Database db, String name, DocumentReads reads, MangoQueries mango, EngineViews views) {
        this.db = db;
        this.name = name;
        this.reads = reads;
        this.mango = mango;
        this.views = views;
    }

    @Override
    public Database database() {
        return db;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PartitionInfo info() {
        return reads.partitionInfo(name);
    }

    @Override
    public void allDocs(AllDocsOptions options, AllDocsSink sink) {
        reads.allDocs(options, sink, name);
    }

    @Override
    public FindResult find(FindRequest request) {
        return mango.find(request, name);
    }

    @Override
    public Explain explain(FindRequest request) {
        return mango.explain(request, name);
    }

    @Override
    public void query(String ddoc, String view, ViewQuery query, ViewSink sink) {
        views.query(ddoc, view, name, query, sink);
    }
}
