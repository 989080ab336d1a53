package dev.arbor.server.replicator.proof;

import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.client.RemoteOptions;
import dev.arbor.client.RemoteStorage;
import dev.arbor.replication.ReplicationOptions;
import dev.arbor.replication.ReplicationResult;
import dev.arbor.replication.Replicator;
import dev.arbor.server.peer.NodePeers;
import dev.arbor.server.peer.PouchDbServerPeer;
import dev.arbor.server.peer.ServerUnderTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Arbor ↔ pouchdb-server (a PouchDB leveldb database in Node, behind CouchDB's HTTP API), driven by
 * Arbor's replicator in this JVM: a local Arbor database on one side, pouchdb-server's on the other,
 * pushed and pulled.
 */
@Tag("slow")
class ArborAndPouchDbServerProofTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void tenThousandDocsWithConflictsOnBothSidesConvergeAndASecondRunTransfersNothing() throws Exception {
        try (NodePeers peers = NodePeers.install();
             Storage local = Arbor.storage(dir.resolve("arbor"))) {
            ServerUnderTest pouch = PouchDbServerPeer.start(peers, dir.resolve("pouchdb-server"));
            try (RemoteStorage remote = new RemoteStorage(URI.create(pouch.url() + "/"), RemoteOptions.DEFAULT)) {
                Database a = local.databaseOrCreate("arbor-side");
                Database b = remote.databaseOrCreate("pouch-side");
                ReplicationProof.prove(a, b, push -> {
                    ReplicationResult result = push ? Replicator.replicate(a, b, ReplicationOptions.DEFAULT)
                            : Replicator.replicate(b, a, ReplicationOptions.DEFAULT);
                    assertEquals(ReplicationResult.Status.COMPLETE, result.status(), result.errors().toString());
                    assertEquals(0, result.docWriteFailures(), result.errors().toString());
                    return new ReplicationProof.Run(result.docsRead(), result.docsWritten());
                });
            }
        }
    }
}
