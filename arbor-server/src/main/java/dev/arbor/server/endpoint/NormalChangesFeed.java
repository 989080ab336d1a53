package dev.arbor.server.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.ChangesSummary;
import dev.arbor.api.Database;
import dev.arbor.api.Subscription;
import dev.arbor.api.json.ChangesJsonWriter;
import dev.arbor.core.error.ArborException;
import dev.arbor.server.http.HttpError;
import dev.arbor.server.http.HttpExchange;
import dev.arbor.server.http.QueryParams;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The built-in {@code _changes}: the normal feed and a plain longpoll, with {@code since} (a number or
 * {@code now}), {@code limit}, {@code descending}, {@code include_docs}, {@code conflicts},
 * {@code style}, and {@code filter=_doc_ids} (ids in the {@code doc_ids} parameter or the POST body).
 * Enough for clients that read changes once or poll; the changes package replaces it with every feed.
 */
public final class NormalChangesFeed implements ChangesHandler {
    /** CouchDB's default longpoll timeout ({@code [chttpd] changes_timeout}). */
    static final long DEFAULT_TIMEOUT_MS = 60_000;

    @Override
    public void handle(HttpExchange exchange, Database db) throws Exception {
        QueryParams query = exchange.query();
        String feed = query.string("feed") == null ? "normal" : query.string("feed");
        if (!feed.equals("normal") && !feed.equals("longpoll")) {
            throw new HttpError(400, "bad_request", "Supported feeds: normal, longpoll");
        }
        ChangesOptions options = options(exchange, db);
        if (feed.equals("longpoll") && !options.descending()) {
            awaitChange(db, options.since(), query.positiveInteger("timeout", DEFAULT_TIMEOUT_MS));
        }
        exchange.streamJson(200, generator -> {
            ChangesJsonWriter writer = new ChangesJsonWriter(generator);
            ChangesSummary summary = db.changes(options, writer);
            writer.finish(summary);
        });
    }

    /** Parks until the database moves past {@code since}, or the timeout passes. */
    private static void awaitChange(Database db, long since, long timeoutMs) throws InterruptedException {
        CountDownLatch changed = new CountDownLatch(1);
        try (Subscription ignored = db.onCommit(event -> {
            if (event.updateSeq() > since) {
                changed.countDown();
            }
        })) {
            if (db.info().updateSeq() > since) {
                return;
            }
            changed.await(timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    static ChangesOptions options(HttpExchange exchange, Database db) {
        QueryParams query = exchange.query();
        ChangesOptions options = ChangesOptions.DEFAULT
                .since(since(query.string("since"), db))
                .limit(query.positiveInteger("limit", -1))
                .descending(query.bool("descending", false))
                .includeDocs(query.bool("include_docs", false))
                .conflicts(query.bool("conflicts", false))
                .style("all_docs".equals(query.string("style")) ? ChangesOptions.Style.ALL_DOCS : ChangesOptions.Style.MAIN_ONLY);
        String filter = query.string("filter");
        if (filter == null) {
            return options;
        }
        if (!filter.equals("_doc_ids")) {
            throw new HttpError(400, "bad_request", "The built-in changes feed supports only filter=_doc_ids");
        }
        List<String> ids = query.stringList("doc_ids");
        if (ids == null && exchange.method().equals("POST")) {
            JsonNode docIds = exchange.readJsonObject().get("doc_ids");
            ids = docIds == null ? null : QueryParams.stringList(docIds, "doc_ids");
        }
        if (ids == null) {
            throw new ArborException.BadRequest("bad_request", "filter=_doc_ids requires 'doc_ids' parameter");
        }
        return options.docIds(ids);
    }

    /**
     * {@code now}, a number, or a CouchDB 3 sequence string {@code "N-..."} (its leading number), since
     * clients hand back whatever token they were given.
     */
    static long since(String text, Database db) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        if (text.equals("now")) {
            return db.info().updateSeq();
        }
        String number = text.startsWith("\"") && text.endsWith("\"") && text.length() > 1
                ? text.substring(1, text.length() - 1) : text;
        int dash = number.indexOf('-');
        if (dash > 0) {
            number = number.substring(0, dash);
        }
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw new ArborException.BadRequest("bad_request", "Malformed sequence supplied in 'since' parameter.");
        }
    }
}
