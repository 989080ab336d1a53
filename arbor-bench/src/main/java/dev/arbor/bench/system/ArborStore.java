package dev.arbor.bench.system;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.AllDocsSink;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.Database;
import dev.arbor.api.TypedViews;
import dev.arbor.api.DocResult;
import dev.arbor.api.Seq;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewRow;
import dev.arbor.api.view.ViewSink;
import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.api.view.typed.Emitter;
import dev.arbor.api.view.typed.GroupedReduction;
import dev.arbor.api.view.typed.MappedDocument;
import dev.arbor.api.view.typed.MappedValue;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewHandle;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.replication.ReplicationOptions;
import dev.arbor.replication.ReplicationResult;
import dev.arbor.replication.Replicator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.Storage;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Arbor through its public contract: {@link Arbor#open} and {@link Database}, as an application uses it. */
public final class ArborStore implements DocumentStore<ObjectNode> {
    private final Database db;
    private final Path dir;
    private final ArborOptions options;
    private Database replica;
    private ArborServer sourceServer;
    private ArborServer targetServer;

    public ArborStore(Path dir, ArborOptions.Durability durability) {
        this(dir, ArborOptions.DEFAULT.durability(durability));
    }

    private ArborStore(Path dir, ArborOptions options) {
        this.dir = dir;
        this.options = options;
        this.db = Arbor.open(dir, "bench", options);
    }

    /**
     * Durable and encrypted at rest under the default key, the master key in a file beside (not inside) the data
     * directory, as a deployment keeps it on another volume.
     */
    public static ArborStore encrypted(Path dir) {
        Path keyFile = dir.resolveSibling(dir.getFileName() + "-master.key");
        return new ArborStore(dir, ArborOptions.DEFAULT.encryption(
                dev.arbor.options.EncryptionOptions.with(dev.arbor.options.VaultKeyStorage.keyFile(keyFile))));
    }

    @Override
    public ObjectNode prepare(String jsonLine) {
        return Json.parseObject(jsonLine);
    }

    @Override
    public int bulkInsert(List<ObjectNode> docs) {
        return (int) db.bulkDocs(docs).stream().filter(r -> r instanceof DocResult.Ok).count();
    }

    @Override
    public void insert(ObjectNode doc) {
        db.put(doc);
    }

    @Override
    public boolean read(String id) {
        try {
            return db.get(id) != null;
        } catch (ArborException.NotFound missing) {
            return false;
        }
    }

    @Override
    public void update(String id, int i) {
        ObjectNode doc = db.get(id);
        ScoreUpdate.apply(doc, i);
        db.put(doc);
    }

    @Override
    public long scanAllDocs() {
        AtomicLong rows = new AtomicLong();
        db.allDocs(AllDocsOptions.DEFAULT.includeDocs(true), new AllDocsSink() {
            @Override public void begin(long totalRows, long offset, Seq updateSeq) {}

            @Override public void row(AllDocsRow row) {
                if (row.doc() != null) {
                    rows.incrementAndGet();
                }
            }
        });
        return rows.get();
    }

    @Override
    public long changesSinceStart() {
        AtomicLong rows = new AtomicLong();
        db.changes(ChangesOptions.DEFAULT.since(0), row -> rows.incrementAndGet());
        return rows.get();
    }

    private static final FindRequest USERS_IN_THEIR_THIRTIES = FindRequest.of(
            Json.parse("{\"age\":{\"$gte\":30,\"$lt\":40},\"type\":\"user\"}"));

    @Override
    public void createAgeIndex() {
        db.createIndex(IndexDefinition.of("age").ddoc("w7").name("age"));
    }

    @Override
    public long findUsersInTheirThirties(int limit) {
        return db.find(USERS_IN_THEIR_THIRTIES.limit(limit < 0 ? Integer.MAX_VALUE : limit)).docs().size();
    }

    /** W8's design document: the same map in two views, as PouchDB and CouchDB users write it. */
    static final String CITY_AGE_DESIGN = """
            {"_id": "_design/w8", "views": {
              "count": {"map": "function (doc) { emit([doc.city, doc.age], 1); }", "reduce": "_count"},
              "sum": {"map": "function (doc) { emit([doc.city, doc.age], 1); }", "reduce": "_sum"}}}""";
    private static final ViewQuery BY_CITY = ViewQuery.builder().groupLevel(1).build();

    @Override
    public void defineCityAgeViews() {
        db.put(Json.parseObject(CITY_AGE_DESIGN));
    }

    @Override
    public CityGroups groupByCity(CityAgeView view) {
        AtomicLong groups = new AtomicLong();
        AtomicLong total = new AtomicLong();
        db.query("w8", view == CityAgeView.COUNT ? "count" : "sum", BY_CITY, new ViewSink() {
            @Override public void begin(long totalRows, long offset, Seq updateSeq) {}

            @Override public void row(ViewRow row) {
                groups.incrementAndGet();
                total.addAndGet(row.value().longValue());
            }
        });
        return new CityGroups(groups.get(), total.get());
    }

    /** W8's key in Java: the view's {@code [city, age]} as a record, which encodes as that JSON array. */
    public record CityAge(String city, long age) {}

    /**
     * W8's views in Java: {@code [city, age] -> 1} as the JavaScript map emits it, reduced by counting rows and by
     * summing values (the same answers as {@code _count} and {@code _sum}).
     */
    record CityAgeJavaView(String name, boolean counting) implements TypedView<CityAge, Long> {
        private static final Key<CityAge> KEY = Keys.record(CityAge.class);

        @Override public Key<CityAge> keyType() { return KEY; }

        @Override public Class<Long> valueType() { return Long.class; }

        @Override
        public void map(MappedDocument doc, Emitter<CityAge, Long> emit) {
            // Two members: the engine reads the stored body only as far as them.
            JsonNode city = doc.get("city");
            JsonNode age = doc.get("age");
            if (city != null && city.isTextual() && age != null && age.canConvertToLong()) {
                emit.emit(new CityAge(city.textValue(), age.longValue()), 1L);
            }
        }

        @Override
        public Long reduce(List<MappedValue<CityAge, Long>> mappings, boolean rereduce) {
            if (counting && !rereduce) {
                return (long) mappings.size();
            }
            long total = 0;
            for (MappedValue<CityAge, Long> mapping : mappings) {
                total += mapping.value();
            }
            return total;
        }
    }

    private ViewHandle<CityAge, Long> javaCount;
    private ViewHandle<CityAge, Long> javaSum;

    @Override
    public void defineJavaCityAgeViews() {
        CityAgeJavaView count = new CityAgeJavaView("w8-count", true);
        CityAgeJavaView sum = new CityAgeJavaView("w8-sum", false);
        // Registered together, the two views are built in one pass, each document read once for both.
        TypedViews typedViews = db.typedViews().orElseThrow();
        typedViews.views(List.of(count, sum));
        javaCount = typedViews.view(count);
        javaSum = typedViews.view(sum);
    }

    @Override
    public CityGroups groupByCityInJava(CityAgeView view) {
        long total = 0;
        List<GroupedReduction<JsonNode, Long>> groups = (view == CityAgeView.COUNT ? javaCount : javaSum)
                .reduceGrouped(TypedQuery.all(), 1, Keys.JSON);
        for (GroupedReduction<JsonNode, Long> group : groups) {
            total += group.value();
        }
        return new CityGroups(groups.size(), total);
    }

    @Override
    public long replicateToFresh() {
        replica = Arbor.open(dir.resolveSibling(dir.getFileName() + "-replica"), "replica", options);
        return replicate();
    }

    @Override
    public long replicateAgain() {
        return replicate();
    }

    private long replicate() {
        ReplicationResult result = Replicator.replicate(db, replica, ReplicationOptions.DEFAULT);
        if (!result.ok() || result.docWriteFailures() > 0) {
            throw new IllegalStateException("replication failed: " + result.errors());
        }
        return result.docsWritten();
    }

    /**
     * Two servers over storages of this store's durability, on loopback ports: the source gets the
     * bench docs by a local replication (untimed), the target starts empty.
     */
    @Override
    public void prepareHttpReplication() {
        Path sourceDir = dir.resolveSibling(dir.getFileName() + "-http-source");
        Path targetDir = dir.resolveSibling(dir.getFileName() + "-http-target");
        Storage sourceStorage = Arbor.storage(sourceDir, options);
        ReplicationResult loaded = Replicator.replicate(db, sourceStorage.databaseOrCreate("bench"), ReplicationOptions.DEFAULT);
        if (!loaded.ok()) {
            sourceStorage.close();
            throw new IllegalStateException("loading the HTTP source failed: " + loaded.errors());
        }
        try {
            sourceServer = ArborServer.builder(serverConfig(sourceDir), sourceStorage).start();
            targetServer = ArborServer.builder(serverConfig(targetDir), Arbor.storage(targetDir, options)).start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the W9 servers", e);
        }
    }

    private static ServerConfig serverConfig(Path data) {
        return ServerConfig.defaults(data).withPort(0).withAccessLog(false);
    }

    /** {@code POST /_replicate} on the target server, pulling the source server's database by URL. */
    @Override
    public long replicateOverHttp() {
        String body = "{\"source\":\"" + sourceServer.uri() + "bench\",\"target\":\"bench\",\"create_target\":true}";
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(targetServer.uri().resolve("_replicate")).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode result = Json.parse(response.body());
            if (response.statusCode() != 200 || result.path("doc_write_failures").asLong() > 0) {
                throw new IllegalStateException("replication over HTTP failed: " + response.statusCode() + " " + response.body());
            }
            return result.path("docs_written").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (targetServer != null) {
            targetServer.close();
        }
        if (sourceServer != null) {
            sourceServer.close();
        }
        if (replica != null) {
            replica.close();
        }
        db.close();
    }
}
