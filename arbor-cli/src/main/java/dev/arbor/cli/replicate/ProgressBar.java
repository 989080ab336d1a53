package dev.arbor.cli.replicate;

import dev.arbor.api.Database;
import dev.arbor.replication.ReplicationEvent;
import dev.arbor.replication.ReplicationListener;
import dev.arbor.replication.ReplicationStats;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One line on stderr, redrawn in place as batches are written:
 * {@code [#########...........]  45%  read 4,500  written 4,500  pending 5,500}. Pending is the source's
 * update sequence minus what has been replicated; the source is asked at most once a second (a remote
 * source answers over HTTP).
 */
final class ProgressBar implements ReplicationListener {
    private static final int WIDTH = 30;
    private static final long REFRESH_SOURCE_NANOS = 1_000_000_000L;

    private final PrintStream err;
    private final Database source;
    private long sourceSeq = -1;
    private long sourceAskedAt;
    private boolean drawn;

    ProgressBar(PrintStream err, Database source) {
        this.err = err;
        this.source = source;
    }

    @Override
    public synchronized void onEvent(ReplicationEvent event) {
        switch (event) {
            case ReplicationEvent.Active active -> draw(active.stats(), "");
            case ReplicationEvent.Change change -> draw(change.stats(), "");
            case ReplicationEvent.Paused paused -> draw(paused.stats(), "  (up to date, waiting for changes)");
            case ReplicationEvent.Error error when error.retryIn() != null ->
                    draw(null, "  (retrying in " + error.retryIn().toMillis() + " ms: " + error.error().getMessage() + ")");
            default -> { }
        }
    }

    private ReplicationStats last;

    private void draw(ReplicationStats stats, String note) {
        if (stats != null) {
            last = stats;
        }
        if (last == null) {
            return;
        }
        long now = System.nanoTime();
        if (sourceSeq < 0 || now - sourceAskedAt > REFRESH_SOURCE_NANOS) {
            try {
                sourceSeq = source.info().updateSeq().number();
            } catch (RuntimeException unreachable) {
                // keep the last known figure
            }
            sourceAskedAt = now;
        }
        long pending = Math.max(0, sourceSeq - last.lastSeq().number());
        double done = sourceSeq <= 0 ? 1.0 : Math.min(1.0, (double) last.lastSeq().number() / sourceSeq);
        int filled = (int) Math.round(done * WIDTH);
        String line = String.format(Locale.ROOT, "\r[%s%s] %3d%%  read %,d  written %,d  pending %,d%s\u001b[K",
                "#".repeat(filled), ".".repeat(WIDTH - filled), Math.round(done * 100), last.docsRead(), last.docsWritten(),
                pending, note);
        err.print(line);
        err.flush();
        drawn = true;
    }

    /** Ends the line, so what follows starts on a fresh one. */
    synchronized void finish() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }
}
