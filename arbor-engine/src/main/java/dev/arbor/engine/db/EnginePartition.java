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

/** One partition of an {@link EngineDatabase}: every read is that database's, bounded to the partition's id range. */
final class EnginePartition implements Partition {
    private final EngineDatabase db;
    private final String name;

    EnginePartition(EngineDatabase db, String name) {
        this.db = db;
        this.name = name;
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
        return db.partitionInfo(name);
    }

    @Override
    public void allDocs(AllDocsOptions options, AllDocsSink sink) {
        db.allDocs(options, sink, name);
    }

    @Override
    public FindResult find(FindRequest request) {
        return db.find(request, name);
    }

    @Override
    public Explain explain(FindRequest request) {
        return db.explain(request, name);
    }

    @Override
    public void query(String ddoc, String view, ViewQuery query, ViewSink sink) {
        db.query(ddoc, view, name, query, sink);
    }
}
