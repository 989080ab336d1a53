package dev.arbor.js;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random documents as JSON text, shaped like the benchmark's (DESIGN.md's W8). */
final class Docs {
    static final String LIGHT_MAP = "function(doc) { if (doc.type === 'order') { emit(doc.customer, doc.total); } }";
    static final String HEAVY_MAP = "function(doc) {"
            + " if (doc.type !== 'order') return;"
            + " var d = new Date(doc.date);"
            + " var items = 0; for (var i = 0; i < doc.items.length; i++) { items += doc.items[i].qty * doc.items[i].price; }"
            + " emit([d.getUTCFullYear(), d.getUTCMonth() + 1, doc.customer], {total: doc.total, items: items, tags: doc.tags.length});"
            + " for (var t = 0; t < doc.tags.length; t++) { emit(['tag', doc.tags[t].toLowerCase()], 1); }"
            + "}";

    private Docs() {}

    static List<String> generate(long seed, int count) {
        Random random = new Random(seed);
        List<String> docs = new ArrayList<>(count);
        String[] tags = {"Red", "green", "BLUE", "big", "small", "sale"};
        for (int i = 0; i < count; i++) {
            StringBuilder doc = new StringBuilder();
            doc.append("{\"_id\":\"doc-").append(String.format("%07d", i)).append("\",\"_rev\":\"1-abc\",");
            doc.append("\"type\":\"").append(random.nextInt(10) < 8 ? "order" : "note").append("\",");
            doc.append("\"customer\":\"c").append(random.nextInt(500)).append("\",");
            doc.append("\"total\":").append(random.nextInt(100_000) / 100.0).append(',');
            doc.append("\"date\":\"20").append(10 + random.nextInt(15)).append('-').append(String.format("%02d", 1 + random.nextInt(12)))
                    .append("-1").append(random.nextInt(10)).append("T12:00:00Z\",");
            doc.append("\"items\":[");
            int items = 1 + random.nextInt(4);
            for (int k = 0; k < items; k++) {
                doc.append(k > 0 ? "," : "").append("{\"sku\":\"s").append(random.nextInt(1000)).append("\",\"qty\":")
                        .append(1 + random.nextInt(5)).append(",\"price\":").append(random.nextInt(10_000) / 100.0).append('}');
            }
            doc.append("],\"tags\":[");
            int tagCount = random.nextInt(3);
            for (int k = 0; k < tagCount; k++) {
                doc.append(k > 0 ? "," : "").append('"').append(tags[random.nextInt(tags.length)]).append('"');
            }
            doc.append("]}");
            docs.add(doc.toString());
        }
        return docs;
    }
}
