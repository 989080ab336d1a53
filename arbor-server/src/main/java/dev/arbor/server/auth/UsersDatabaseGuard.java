package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsSink;
import dev.arbor.api.AttachmentStream;
import dev.arbor.api.BulkGetRequest;
import dev.arbor.api.BulkGetResult;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.ChangesSummary;
import dev.arbor.api.CommitEvent;
import dev.arbor.api.Views;
import dev.arbor.api.Mango;
import dev.arbor.api.LocalDocuments;
import dev.arbor.api.Documents;
import dev.arbor.api.Changes;
import dev.arbor.api.ComposedDatabase;
import dev.arbor.api.Attachments;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.api.RevsDiff;
import dev.arbor.api.Subscription;
import dev.arbor.api.find.Explain;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.find.IndexInfo;
import dev.arbor.api.find.IndexResult;
import dev.arbor.api.view.ViewIndexInfo;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewSink;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.http.UserCtx;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@code _users} database as the HTTP server sees it: every write goes through
 * {@link UsersDatabase#prepareWrite} (password hashing and the validation rules), every document read
 * through {@link UsersDatabase#filterRead}, and listings ({@code _all_docs}, {@code _changes},
 * {@code _local_docs}) are for admins only. The server's endpoints need not know that {@code _users} is
 * special; they see an ordinary {@link Database}.
 *
 * <p>Each guarded capability is a facet of its own ({@link Documents}, {@link LocalDocuments}, {@link Attachments},
 * {@link Changes}, {@link Mango}, {@link Views}), put together with the unguarded rest by {@link ComposedDatabase}.
 * The optional capabilities (atomic writes, typed views, key-value store, pub/sub) are not offered: none of them
 * goes through the rules.
 *
 * <p>The caller is the request being handled on the current thread ({@code currentUser}). Anything that
 * reaches this database off a request thread is treated as anonymous, so it can only do less.
 */
final class UsersDatabaseGuard {
    private final Database delegate;
    private final UsersDatabase rules;
    private final Supplier<UserCtx> currentUser;

    private UsersDatabaseGuard(Database delegate, UsersDatabase rules, Supplier<UserCtx> currentUser) {
        this.delegate = delegate;
        this.rules = rules;
        this.currentUser = currentUser;
    }

    /** {@code users}, as every request must see it. */
    static Database guard(Database users, UsersDatabase rules, Supplier<UserCtx> currentUser) {
        UsersDatabaseGuard guard = new UsersDatabaseGuard(users, rules, currentUser);
        return ComposedDatabase.over(users)
                .documents(guard.new GuardedDocuments())
                .localDocuments(guard.new GuardedLocalDocuments())
                .attachments(guard.new GuardedAttachments())
                .changes(guard.new GuardedChanges())
                .mango(guard.new GuardedMango())
                .views(guard.new GuardedViews())
                .atomicWrites(Optional.empty())
                .typedViews(Optional.empty())
                .keyValue(Optional.empty())
                .pubSub(Optional.empty())
                .build();
    }

    private ObjectNode security() {
        return delegate.getSecurity();
    }

    private ObjectNode currentOrNull(String id) {
        try {
            return delegate.get(id);
        } catch (ArborException.NotFound e) {
            return null;
        }
    }

    private ObjectNode prepare(ObjectNode doc) {
        String id = doc.path("_id").asText(null);
        return rules.prepareWrite(currentUser.get(), security(), doc, id == null ? null : currentOrNull(id));
    }

    private ObjectNode readable(ObjectNode doc) {
        return UsersDatabase.filterRead(currentUser.get(), security(), doc);
    }

    private void checkDocument(String id) {
        UsersDatabase.filterRead(currentUser.get(), security(), Json.object().put("_id", id));
    }

    private void checkListing(String listing) {
        UsersDatabase.checkListing(currentUser.get(), security(), listing);
    }

    /** Reads filtered by {@link UsersDatabase#filterRead}, writes through {@link UsersDatabase#prepareWrite}. */
    private final class GuardedDocuments implements Documents {
        @Override
        public ObjectNode get(String id, GetOptions options) {
            return readable(delegate.get(id, options));
        }

        @Override
        public List<OpenRev> getOpenRevs(String id, List<String> revs, GetOptions options) {
            checkDocument(id);
            return delegate.getOpenRevs(id, revs, options);
        }

        @Override
        public DocResult.Ok put(ObjectNode doc) {
            return delegate.put(prepare(doc));
        }

        @Override
        public DocResult.Ok post(ObjectNode doc) {
            return delegate.post(prepare(doc));
        }

        @Override
        public DocResult.Ok putWithAttachments(ObjectNode doc, boolean newEdits, Map<String, InputStream> following) {
            return delegate.putWithAttachments(prepare(doc), newEdits, following);
        }

        @Override
        public DocResult.Ok remove(String id, String rev) {
            ObjectNode tombstone = Json.object().put("_id", id).put("_rev", rev).put("_deleted", true);
            prepare(tombstone);
            return delegate.remove(id, rev);
        }

        /** Each document is checked on its own; one refused gets an error entry and the others still go in. */
        @Override
        public List<DocResult> bulkDocs(List<ObjectNode> docs, boolean newEdits) {
            List<DocResult> refused = new ArrayList<>(docs.size());
            List<ObjectNode> accepted = new ArrayList<>(docs.size());
            for (ObjectNode doc : docs) {
                try {
                    accepted.add(prepare(doc));
                    refused.add(null);
                } catch (ArborException e) {
                    refused.add(new DocResult.Error(doc.path("_id").asText(null), doc.path("_rev").asText(null),
                            e.error(), e.reason()));
                }
            }
            List<DocResult> written = accepted.isEmpty() ? List.of() : delegate.bulkDocs(accepted, newEdits);
            if (!newEdits) {
                // Only failures are reported in this mode: the refusals, then the storage's own.
                List<DocResult> failures = new ArrayList<>();
                refused.stream().filter(r -> r != null).forEach(failures::add);
                failures.addAll(written);
                return failures;
            }
            List<DocResult> results = new ArrayList<>(docs.size());
            int next = 0;
            for (DocResult refusal : refused) {
                results.add(refusal != null ? refusal : written.get(next++));
            }
            return results;
        }

        @Override
        public void allDocs(AllDocsOptions options, AllDocsSink sink) {
            checkListing("_all_docs");
            delegate.allDocs(options, sink);
        }

        @Override
        public Map<String, RevsDiff> revsDiff(Map<String, List<String>> revs) {
            return delegate.revsDiff(revs);
        }

        @Override
        public List<BulkGetResult> bulkGet(List<BulkGetRequest> requests, GetOptions options) {
            List<BulkGetResult> results = new ArrayList<>();
            for (BulkGetResult result : delegate.bulkGet(requests, options)) {
                List<BulkGetResult.Entry> entries = new ArrayList<>();
                for (BulkGetResult.Entry entry : result.docs()) {
                    if (entry instanceof BulkGetResult.Ok ok) {
                        try {
                            entries.add(new BulkGetResult.Ok(readable(ok.doc())));
                        } catch (ArborException e) {
                            entries.add(new BulkGetResult.Error(result.id(), ok.doc().path("_rev").asText(null),
                                    e.error(), e.reason()));
                        }
                    } else {
                        entries.add(entry);
                    }
                }
                results.add(new BulkGetResult(result.id(), entries));
            }
            return results;
        }
    }

    /** Local documents are the replicator's checkpoints: read and written freely, listed by admins only. */
    private final class GuardedLocalDocuments implements LocalDocuments {
        @Override
        public ObjectNode getLocal(String id) {
            return delegate.getLocal(id);
        }

        @Override
        public DocResult.Ok putLocal(ObjectNode doc) {
            return delegate.putLocal(doc);
        }

        @Override
        public void removeLocal(String id, String rev) {
            delegate.removeLocal(id, rev);
        }

        @Override
        public void localDocs(AllDocsOptions options, AllDocsSink sink) {
            checkListing("_local_docs");
            delegate.localDocs(options, sink);
        }
    }

    /** An attachment belongs to its document: whoever may not read the document may not touch it. */
    private final class GuardedAttachments implements Attachments {
        @Override
        public AttachmentStream getAttachment(String docId, String name, String rev) {
            checkDocument(docId);
            return delegate.getAttachment(docId, name, rev);
        }

        @Override
        public DocResult.Ok putAttachment(String docId, String rev, String name, String contentType, InputStream data) {
            checkDocument(docId);
            return delegate.putAttachment(docId, rev, name, contentType, data);
        }

        @Override
        public DocResult.Ok removeAttachment(String docId, String rev, String name) {
            checkDocument(docId);
            return delegate.removeAttachment(docId, rev, name);
        }
    }

    /** The changes feed lists every user's document: admins only. */
    private final class GuardedChanges implements Changes {
        @Override
        public ChangesSummary changes(ChangesOptions options, Consumer<ChangeRow> rows) {
            checkListing("_changes");
            return delegate.changes(options, rows);
        }

        @Override
        public Subscription onCommit(Consumer<CommitEvent> listener) {
            return delegate.onCommit(listener);
        }
    }

    /** A query reads other users' documents unfiltered: admins only, like the other listings. */
    private final class GuardedMango implements Mango {
        @Override
        public FindResult find(FindRequest request) {
            checkListing("_find");
            return delegate.find(request);
        }

        @Override
        public Explain explain(FindRequest request) {
            checkListing("_explain");
            return delegate.explain(request);
        }

        @Override
        public IndexResult createIndex(IndexDefinition definition) {
            checkListing("_index");
            return delegate.createIndex(definition);
        }

        @Override
        public List<IndexInfo> indexes() {
            checkListing("_index");
            return delegate.indexes();
        }

        @Override
        public void deleteIndex(String ddoc, String name) {
            checkListing("_index");
            delegate.deleteIndex(ddoc, name);
        }
    }

    /** A view reads other users' documents unfiltered: admins only, like the other listings. */
    private final class GuardedViews implements Views {
        @Override
        public void query(String ddoc, String view, ViewQuery query, ViewSink sink) {
            checkListing("_view");
            delegate.query(ddoc, view, query, sink);
        }

        @Override
        public ViewIndexInfo viewInfo(String ddoc) {
            checkListing("_info");
            return delegate.viewInfo(ddoc);
        }

        @Override
        public void viewCleanup() {
            checkListing("_view_cleanup");
            delegate.viewCleanup();
        }
    }
}
