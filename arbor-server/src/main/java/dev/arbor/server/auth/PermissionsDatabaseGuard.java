package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsSink;
import dev.arbor.api.AttachmentStream;
import dev.arbor.api.Attachments;
import dev.arbor.api.BulkGetRequest;
import dev.arbor.api.BulkGetResult;
import dev.arbor.api.ComposedDatabase;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.Documents;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.api.RevsDiff;
import dev.arbor.core.error.ArborException;
import dev.arbor.server.http.UserCtx;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code _permissions} database as the HTTP server sees it ({@link PermissionDirectory}): only server admins
 * write it, whatever its {@code _security} says (a group grants anything, so writing one is a server admin's act),
 * and every document written, replicated ones included, must be a well-formed group or role. Reads pass through.
 */
final class PermissionsDatabaseGuard {
    private PermissionsDatabaseGuard() {
    }

    static Database guard(Database database, Supplier<UserCtx> currentUser) {
        Runnable requireServerAdmin = () -> {
            UserCtx user = currentUser.get();
            if (!SecurityPolicy.isServerAdmin(user)) {
                throw user.isAnonymous() ? new ArborException.Unauthorized(SecurityPolicy.NOT_SERVER_ADMIN)
                        : new ArborException.Forbidden(SecurityPolicy.NOT_SERVER_ADMIN);
            }
        };
        return ComposedDatabase.over(database)
                .documents(new CheckedDocuments(database, requireServerAdmin))
                .attachments(new CheckedAttachments(database, requireServerAdmin))
                .build();
    }

    private record CheckedDocuments(Documents delegate, Runnable requireServerAdmin) implements Documents {
        private ObjectNode checked(ObjectNode doc) {
            requireServerAdmin.run();
            PermissionDirectory.validate(doc);
            return doc;
        }

        @Override
        public ObjectNode get(String id, GetOptions options) {
            return delegate.get(id, options);
        }

        @Override
        public List<OpenRev> getOpenRevs(String id, List<String> revs, GetOptions options) {
            return delegate.getOpenRevs(id, revs, options);
        }

        @Override
        public DocResult.Ok put(ObjectNode doc) {
            return delegate.put(checked(doc));
        }

        @Override
        public DocResult.Ok post(ObjectNode doc) {
            return delegate.post(checked(doc));
        }

        @Override
        public DocResult.Ok putWithAttachments(ObjectNode doc, boolean newEdits, Map<String, InputStream> following) {
            return delegate.putWithAttachments(checked(doc), newEdits, following);
        }

        @Override
        public DocResult.Ok remove(String id, String rev) {
            requireServerAdmin.run();
            return delegate.remove(id, rev);
        }

        /** Every document is checked before any is written: one malformed document refuses the request. */
        @Override
        public List<DocResult> bulkDocs(List<ObjectNode> docs, boolean newEdits) {
            docs.forEach(this::checked);
            return delegate.bulkDocs(docs, newEdits);
        }

        @Override
        public void allDocs(AllDocsOptions options, AllDocsSink sink) {
            delegate.allDocs(options, sink);
        }

        @Override
        public Map<String, RevsDiff> revsDiff(Map<String, List<String>> revs) {
            return delegate.revsDiff(revs);
        }

        @Override
        public List<BulkGetResult> bulkGet(List<BulkGetRequest> requests, GetOptions options) {
            return delegate.bulkGet(requests, options);
        }
    }

    private record CheckedAttachments(Attachments delegate, Runnable requireServerAdmin) implements Attachments {
        @Override
        public AttachmentStream getAttachment(String docId, String name, String rev) {
            return delegate.getAttachment(docId, name, rev);
        }

        @Override
        public DocResult.Ok putAttachment(String docId, String rev, String name, String contentType, InputStream data) {
            requireServerAdmin.run();
            return delegate.putAttachment(docId, rev, name, contentType, data);
        }

        @Override
        public DocResult.Ok removeAttachment(String docId, String rev, String name) {
            requireServerAdmin.run();
            return delegate.removeAttachment(docId, rev, name);
        }
    }
}
