package dev.arbor.engine.view;

import dev.arbor.api.DocResult;
import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.api.view.typed.AccessPolicy;
import dev.arbor.api.view.typed.Emitter;
import dev.arbor.api.view.typed.MappedDocument;
import dev.arbor.api.view.typed.MappedValue;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.TypedRow;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewHandle;
import dev.arbor.api.view.typed.ViewUpdatePolicy;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.storage.EngineSpaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A typed view whose map throws on a document: a lazy view skips that document (as CouchDB skips a document whose
 * JavaScript map throws), an eager or unique one refuses the write that would need it, atomically.
 */
class TypedViewMapErrorTest {
    private final EngineDatabase db = new EngineDatabase("maperrors", new MemoryKvStore(EngineSpaces.ALL), false, () -> {});

    @AfterEach
    void close() {
        db.close();
    }

    /** Prices by sku: reads {@code price} as a number and throws on anything else (a bug a document can trigger). */
    record PriceBySku(ViewUpdatePolicy updatePolicy) implements TypedView<String, Long> {
        @Override public String name() { return "price-by-sku-" + updatePolicy.name().toLowerCase(); }
        @Override public Key<String> keyType() { return Keys.STRING; }
        @Override public Class<Long> valueType() { return Long.class; }

        @Override
        public void map(MappedDocument doc, Emitter<String, Long> emit) {
            emit.emit(doc.id(), 1L); // emitted before the throw: must not survive it
            if (!doc.body().path("price").isNumber()) {
                throw new IllegalStateException("no numeric price in " + doc.id());
            }
            emit.emit(doc.body().get("sku").asText(), doc.body().get("price").asLong());
        }

        @Override
        public Long reduce(List<MappedValue<String, Long>> mappings, boolean rereduce) {
            return mappings.stream().mapToLong(MappedValue::value).sum();
        }
    }

    private DocResult.Ok item(String id, String price) {
        return db.put(Json.parseObject("{\"_id\":\"" + id + "\",\"sku\":\"sku-" + id + "\",\"price\":" + price + "}"));
    }

    @Test
    void aLazyViewSkipsTheDocumentItsMapThrowsOnAndStillAnswers() {
        ViewHandle<String, Long> prices = db.view(new PriceBySku(ViewUpdatePolicy.LAZY));
        item("a", "3");
        item("b", "\"free\"");
        item("c", "4");

        for (AccessPolicy access : AccessPolicy.values()) {
            // UPDATE_AFTER answers from the index as it was, then updates: ask twice so the second sees the rows.
            prices.query(TypedQuery.<String>all().access(AccessPolicy.UPDATE_BEFORE));
            List<TypedRow<String, Long>> rows = prices.query(TypedQuery.<String>all().access(access));
            assertEquals(List.of("a", "c", "sku-a", "sku-c"), rows.stream().map(TypedRow::key).toList(),
                    "b has no rows, not even the one emitted before the throw (" + access + ")");
        }
        assertEquals(9L, prices.reduce(TypedQuery.all()));
    }

    @Test
    void aDocumentThatStartsThrowingLosesItsRowsAndGetsThemBackWhenFixed() {
        ViewHandle<String, Long> prices = db.view(new PriceBySku(ViewUpdatePolicy.LAZY));
        String rev = item("a", "3").rev();
        assertEquals(2, prices.query(TypedQuery.all()).size());

        rev = db.put(Json.parseObject("{\"_id\":\"a\",\"_rev\":\"" + rev + "\",\"sku\":\"sku-a\",\"price\":null}")).rev();
        assertEquals(List.of(), prices.query(TypedQuery.all()), "the rows of the old revision are gone");
        assertEquals(null, prices.reduce(TypedQuery.all()));

        db.put(Json.parseObject("{\"_id\":\"a\",\"_rev\":\"" + rev + "\",\"sku\":\"sku-a\",\"price\":5}"));
        assertEquals(1L + 5L, prices.reduce(TypedQuery.all()));
    }

    @Test
    void anEagerViewRefusesTheWriteItCannotMapAndKeepsEverythingElse() {
        refusesWhatItCannotMap(ViewUpdatePolicy.EAGER);
    }

    @Test
    void aUniqueViewRefusesTheWriteItCannotMapAndKeepsEverythingElse() {
        refusesWhatItCannotMap(ViewUpdatePolicy.UNIQUE);
    }

    private void refusesWhatItCannotMap(ViewUpdatePolicy policy) {
        ViewHandle<String, Long> prices = db.view(new PriceBySku(policy));
        item("a", "3");

        ArborException.BadRequest refused = assertThrows(ArborException.BadRequest.class, () -> item("b", "\"free\""));
        assertEquals("map_runtime_error", refused.error());
        assertTrue(refused.reason().contains(prices.view().name()) && refused.reason().contains("document b")
                && refused.reason().contains("no numeric price"), refused.reason());
        assertThrows(ArborException.NotFound.class, () -> db.get("b"), "the refused write left nothing");

        // In a bulk request only the offending document fails.
        List<DocResult> results = db.bulkDocs(List.of(
                Json.parseObject("{\"_id\":\"c\",\"sku\":\"sku-c\",\"price\":4}"),
                Json.parseObject("{\"_id\":\"d\",\"sku\":\"sku-d\"}")), true);
        assertInstanceOf(DocResult.Ok.class, results.get(0));
        assertEquals("map_runtime_error", assertInstanceOf(DocResult.Error.class, results.get(1)).error());
        assertThrows(ArborException.NotFound.class, () -> db.get("d"));

        TypedQuery<String> asItIs = TypedQuery.<String>all().access(AccessPolicy.NO_UPDATE);
        assertEquals(List.of("a", "c", "sku-a", "sku-c"), prices.query(asItIs).stream().map(TypedRow::key).toList());
        assertEquals(9L, prices.reduce(asItIs));
    }

    @Test
    void registeringAnEagerViewOverADocumentItCannotMapFails() {
        item("a", "\"free\"");
        ArborException.BadRequest refused = assertThrows(ArborException.BadRequest.class,
                () -> db.view(new PriceBySku(ViewUpdatePolicy.EAGER)));
        assertEquals("map_runtime_error", refused.error());
    }
}
