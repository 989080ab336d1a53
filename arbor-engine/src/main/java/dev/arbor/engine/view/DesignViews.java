package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.collate.KeyEncoding;
import dev.arbor.js.DesignDocFunctions;
import dev.arbor.js.Emit;
import dev.arbor.js.JsOptions;
import dev.arbor.js.ViewFunctions;

import java.util.ArrayList;
import java.util.Optional;
import java.util.List;

/**
 * One JavaScript design document, compiled, with what identifies its index in storage.
 *
 * @param rev       the design document revision this was compiled from
 * @param views     the view names in the design document's order; a view's position is its ordinal in row keys
 * @param signature identifies the index's data: a digest of the design doc id, the views' code signature, the
 *                  ICU version behind string keys and whether it is partitioned, so a changed definition or
 *                  collator starts an empty index
 * @param partitioned whether the views are partitioned: rows keyed by partition first, queried one partition at a
 *                  time ({@code options.partitioned}, which defaults to whether the database is partitioned)
 */
record DesignViews(String id, String rev, DesignDocFunctions functions, List<String> views, byte[] signature,
                   boolean partitioned, int[] sameMapAs) implements ViewDefinition {

    static DesignViews compile(ObjectNode designDoc, JsOptions options, boolean partitionedDatabase) {
        DesignDocFunctions functions = DesignDocFunctions.compile(designDoc, options);
        String id = designDoc.path("_id").asText();
        com.fasterxml.jackson.databind.JsonNode option = designDoc.path("options").path("partitioned");
        boolean partitioned = partitionedDatabase && (!option.isBoolean() || option.booleanValue());
        String identity = String.join("\u0000", id, functions.viewSignature(), KeyEncoding.ICU_COLLATOR_VERSION,
                ViewKeys.LAYOUT, partitioned ? "partitioned" : "global");
        List<String> views = List.copyOf(functions.views().keySet());
        return new DesignViews(id, designDoc.path("_rev").asText(), functions, views,
                ViewDefinition.signatureOf(identity), partitioned, sameMapAs(functions, views));
    }

    /**
     * For each view, the first view with the same map source (itself when none before it has): a document is mapped
     * once per distinct map function, as CouchDB's couch_mrview groups views that share a map into one index (W8's
     * {@code _count} and {@code _sum} views of one map are the common case).
     */
    private static int[] sameMapAs(DesignDocFunctions functions, List<String> views) {
        int[] first = new int[views.size()];
        for (int ordinal = 0; ordinal < views.size(); ordinal++) {
            first[ordinal] = ordinal;
            String source = functions.views().get(views.get(ordinal)).map().source();
            for (int earlier = 0; earlier < ordinal; earlier++) {
                if (functions.views().get(views.get(earlier)).map().source().equals(source)) {
                    first[ordinal] = earlier;
                    break;
                }
            }
        }
        return first;
    }

    ViewFunctions view(int ordinal) {
        return functions.views().get(views.get(ordinal));
    }

    /**
     * Every distinct map function maps the document's JSON text, parsed once per function inside JavaScript (the
     * fast path); views sharing a map share its rows (the lists are not modified downstream).
     */
    @Override
    public List<List<Emit>> map(IndexedDocument doc) {
        String json = doc.json();
        List<List<Emit>> rows = new ArrayList<>(views.size());
        for (int ordinal = 0; ordinal < views.size(); ordinal++) {
            int same = sameMapAs[ordinal];
            rows.add(same == ordinal ? view(ordinal).map().map(json) : rows.get(same));
        }
        return rows;
    }

    @Override
    public Optional<ViewReduce> reduce(int ordinal) {
        return view(ordinal).reduce().map(ViewReduce::of);
    }
}
