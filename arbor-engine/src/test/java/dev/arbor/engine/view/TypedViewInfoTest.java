package dev.arbor.engine.view;

import dev.arbor.api.view.ViewIndexInfo;
import dev.arbor.api.view.typed.AccessPolicy;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.ViewHandle;
import dev.arbor.api.view.typed.ViewInfo;
import dev.arbor.api.view.typed.ViewUpdatePolicy;
import dev.arbor.core.json.Json;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.storage.EngineSpaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ViewHandle#info()}: a typed view's index state, as {@code _design/{ddoc}/_info} gives a design document's. */
class TypedViewInfoTest {
    private final EngineDatabase db = new EngineDatabase("info", new MemoryKvStore(EngineSpaces.ALL), false, () -> {});

    @AfterEach
    void close() {
        db.close();
    }

    private void post(String id, String category) {
        db.put(Json.parseObject("{\"_id\":\"" + id + "\",\"category\":\"" + category + "\"}"));
    }

    @Test
    void aLazyViewsInfoFollowsItsCheckpointNotTheDatabase() {
        ViewHandle<String, Long> byCategory = db.view(new TypedViewTest.PostsByCategory(3));
        ViewInfo before = byCategory.info();
        assertEquals("posts-by-category", before.name());
        assertEquals(3, before.version());
        assertEquals(ViewUpdatePolicy.LAZY, before.updatePolicy());
        assertEquals("java", before.index().language());
        assertEquals(0, before.totalRows());
        assertEquals(0, before.index().updateSeq());
        assertEquals(0, before.index().activeSize());
        assertFalse(before.index().updaterRunning());

        post("p1", "rust");
        post("p2", "java");
        post("p3", "rust");
        assertEquals(0, byCategory.info().totalRows(), "info does not update the index");

        byCategory.query(TypedQuery.all());
        ViewInfo after = byCategory.info();
        assertEquals(3, after.totalRows());
        assertEquals(3, after.index().updateSeq());
        assertTrue(after.index().activeSize() > 0);
        assertEquals(before.index().signature(), after.index().signature());

        ViewInfo nextVersion = db.view(new TypedViewTest.PostsByCategory(4)).info();
        assertNotEquals(before.index().signature(), nextVersion.index().signature(), "a new version is a new index");
        assertEquals(0, nextVersion.totalRows());
    }

    @Test
    void anEagerViewsInfoIsCurrentWithEveryWrite() {
        ViewHandle<String, Long> eager = db.view(new EagerViewTest.UsersByEmail("eager", ViewUpdatePolicy.EAGER));
        db.put(Json.parseObject("{\"_id\":\"u1\",\"email\":\"ada@example.org\"}"));
        db.put(Json.parseObject("{\"_id\":\"u2\",\"email\":\"grace@example.org\"}"));

        ViewInfo info = eager.info();
        assertEquals(ViewUpdatePolicy.EAGER, info.updatePolicy());
        assertEquals(2, info.totalRows());
        assertEquals(2, info.index().updateSeq());
        assertEquals(eager.query(TypedQuery.<String>all().access(AccessPolicy.NO_UPDATE)).size(), info.totalRows());
    }

    @Test
    void aDesignDocumentsInfoIsBuiltTheSameWay() {
        db.put(Json.parseObject("{\"_id\":\"_design/d\",\"views\":{\"v\":{\"map\":\"function(doc){emit(doc._id,1)}\"}}}"));
        post("p1", "rust");
        ViewIndexInfo unbuilt = db.viewInfo("d");
        assertEquals("d", unbuilt.name());
        assertEquals("javascript", unbuilt.language());
        assertEquals(0, unbuilt.updateSeq());
        db.query("d", "v", dev.arbor.api.view.ViewQuery.builder().build());
        ViewIndexInfo built = db.viewInfo("d");
        assertEquals(2, built.updateSeq());
        assertTrue(built.activeSize() > 0);
    }
}
