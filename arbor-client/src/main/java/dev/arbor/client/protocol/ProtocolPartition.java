package dev.arbor.client.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;
import dev.arbor.wire.find.FindJson;

/** One partition of a database over the protocol: the database's own operations, each naming the partition. */
final class ProtocolPartition implements Partition {
    private final ProtocolDatabase database;
    private final ReconnectingConnection connection;
    private final String name;

    ProtocolPartition(ProtocolDatabase database, ReconnectingConnection connection, String name) {
        this.database = database;
        this.connection = connection;
        this.name = name;
    }

    @Override
    public Database database() {
        return database;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PartitionInfo info() {
        return Values.record(connection.call(Op.PARTITION_INFO, database.args().put("partition", name)), PartitionInfo.class);
    }

    @Override
    public void allDocs(AllDocsOptions options, AllDocsSink sink) {
        ObjectNode args = database.args().put("partition", name);
        args.set("options", Values.tree(options));
        StreamedAnswers.allDocs(connection, Op.DOC_ALL_DOCS_ROWS, args, sink);
    }

    @Override
    public FindResult find(FindRequest request) {
        return StreamedAnswers.find(connection, database.findArgs(request, name));
    }

    @Override
    public Explain explain(FindRequest request) {
        return FindJson.explain(connection.call(Op.MANGO_EXPLAIN, database.findArgs(request, name)));
    }

    @Override
    public void query(String ddoc, String view, ViewQuery query, ViewSink sink) {
        StreamedAnswers.view(connection, database.viewArgs(ddoc, view, query, name), sink);
    }
}
