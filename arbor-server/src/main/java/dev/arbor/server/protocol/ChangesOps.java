package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.ChangesSummary;
import dev.arbor.api.Database;
import dev.arbor.api.Seq;
import dev.arbor.api.Subscription;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;
import dev.arbor.server.http.Access;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import static dev.arbor.server.protocol.LocalDocumentOps.db;

/**
 * The changes feed, checked as {@code _changes} is ({@code CHANGES}): a one-shot read streamed as rows chunks, and a
 * subscription that pushes as commits land. A subscription is a request left open: it answers nothing until the client
 * cancels it (or the connection ends). Its first chunk, {@code {ready, seq}}, says the commit listener is in place and
 * gives the database's update seq then; after it, one chunk per wake — {@code {seq}}, the database's update seq, or with
 * {@code rows} the changes since the last push, each row with its seq. Its arguments hold all it needs ({@code since}
 * included), so a client can make it again after a reconnection and miss nothing.
 *
 * <p>Threads: the commit listener runs on the database's writer thread and only records the latest seq and wakes the
 * request's thread (commits coalesce while the client is slow: memory stays one seq); the request's thread reads the
 * changes and sends them as chunks of its stream, paced by the client's credit (so a slow subscriber holds back only
 * its own stream, within the window). It holds no in-flight slot while open, and no request worker between commits.
 */
final class ChangesOps {
    private ChangesOps() {}

    static void register(Dispatcher d) {
        d.onStream(Op.CHANGES_READ, (c, a, s) -> {
            Database db = db(c, a, Access.CHANGES);
            StreamedRows rows = new StreamedRows(s);
            ChangesSummary summary = db.changes(options(a.get("options")), row -> rows.row(Values.tree(row)));
            rows.finish();
            return Values.tree(summary);
        });
        d.onStream(Op.CHANGES_SUBSCRIBE, (c, a, s) -> {
            Database db = db(c, a, Access.CHANGES);
            boolean withRows = a.path("rows").asBoolean(false);
            ChangesOptions options = options(a.get("options"));
            Outbound out = s.out();
            AtomicReference<Seq> latest = new AtomicReference<>();
            Semaphore wake = new Semaphore(0);
            out.onCancel(wake::release);
            try (Subscription ignored = db.onCommit(event -> {
                latest.set(event.updateSeq());
                wake.release();
            })) {
                JsonNode sinceNode = a.get("since");
                Seq since = sinceNode == null || sinceNode.isNull() ? null : Seq.fromJson(sinceNode);
                Seq current = db.info().updateSeq();
                Seq last = since == null ? current : since;
                // The first chunk says the listener is in place (a write after it is heard) and where the database is.
                out.send(Values.object().put("ready", true).set("seq", current.toJson()));
                if (withRows && since != null && !since.equals(current)) {
                    latest.compareAndSet(null, current);
                    wake.release();
                }
                s.releaseSlot();
                while (!out.isCancelled()) {
                    // Between commits it holds no request worker: an open subscription is not work.
                    s.waiting();
                    try {
                        wake.acquire();
                    } finally {
                        s.awake();
                    }
                    wake.drainPermits();
                    Seq seq = latest.getAndSet(null);
                    if (seq == null || out.isCancelled()) {
                        continue;
                    }
                    if (!withRows) {
                        out.send(Values.object().set("seq", seq.toJson()));
                        continue;
                    }
                    StreamedRows rows = new StreamedRows(s);
                    ChangesSummary summary = db.changes(options.since(last), row -> rows.row(Values.tree(row)));
                    rows.finish();
                    last = summary.lastSeq();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw Outbound.cancelled();
        });
    }

    static ChangesOptions options(JsonNode tree) {
        return tree == null || tree.isNull() || tree.isMissingNode() ? ChangesOptions.DEFAULT : Values.record(tree, ChangesOptions.class);
    }
}
