package dev.arbor.examples;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.api.Storage;
import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.view.typed.Emitter;
import dev.arbor.api.view.typed.MappedValue;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.collection.Collection;
import dev.arbor.collection.CollectionDatabase;
import dev.arbor.collection.CollectionDocument;
import dev.arbor.collection.CollectionView;
import dev.arbor.collection.Schema;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * The BonsaiDb book's basic server in Java: a server, started here on a loopback port, serves a storage opened with a
 * schema of shapes and a view counting them by their number of sides; a client connects over the network
 * ({@code ws://}), pushes shapes, asks the view (which runs on the server, beside the data), commits a transaction and
 * counts its visits in the key-value store.
 */
public final class BasicServer implements Example {
    record Shape(int sides) {}

    /** Key: the number of sides; value: 1 per shape; reduce: the sum, so a reduction counts shapes. */
    record ShapesByNumberOfSides() implements CollectionView<Shape, Integer, Long> {
        @Override public String name() { return "by-number-of-sides"; }
        @Override public Key<Integer> keyType() { return Keys.INTEGER; }
        @Override public Class<Long> valueType() { return Long.class; }

        @Override
        public void map(CollectionDocument<Shape, ?> shape, Emitter<Integer, Long> emit) {
            emit.emit(shape.contents().sides(), 1L);
        }

        @Override
        public Long reduce(List<MappedValue<Integer, Long>> mappings, boolean rereduce) {
            return mappings.stream().mapToLong(MappedValue::value).sum();
        }
    }

    static final ShapesByNumberOfSides BY_SIDES = new ShapesByNumberOfSides();
    static final Collection<Shape, Long> SHAPES = Collection.builder("shape", Shape.class).view(BY_SIDES).build();
    static final Schema SHAPES_SCHEMA = Schema.builder("shapes").collection(SHAPES).build();

    @Override
    public void run(Path dataDir) throws Exception {
        // The server: its storage opened with the schema, so the view's Java code runs there. Port 0: any free port.
        ServerConfig config = ServerConfig.defaults(dataDir).withPort(0).withAccessLog(false);
        Storage served = Arbor.storage(dataDir.resolve("data"), ArborOptions.DEFAULT, List.of(SHAPES_SCHEMA));
        try (ArborServer server = ArborServer.builder(config, served).start()) {
            System.out.println("server listening on ws://127.0.0.1:" + server.port());

            // The client: the same Storage contract, over one WebSocket.
            try (Storage client = Arbor.storage("ws://127.0.0.1:" + server.port())) {
                CollectionDatabase db = SHAPES_SCHEMA.bind(client.databaseOrCreate("shapes"));
                var shapes = db.collection(SHAPES);
                for (int sides : new int[] {3, 4, 3, 5, 3}) {
                    System.out.println("pushed shape " + shapes.push(new Shape(sides)).id() + " with " + sides + " sides");
                }
                var bySides = shapes.view(BY_SIDES);
                System.out.println("triangles: " + bySides.reduce(TypedQuery.key(3)));
                System.out.println("shapes by sides: " + bySides.reduceGrouped(TypedQuery.all()));

                // Two records in one atomic commit, made on the server.
                var committed = db.transaction().push(SHAPES, new Shape(6)).push(SHAPES, new Shape(6)).commit();
                System.out.println("a transaction committed " + committed.size() + " hexagons; hexagons now: "
                        + bySides.reduce(TypedQuery.key(6)));

                KeyValueStore kv = client.database("shapes").keyValue().orElseThrow();
                kv.increment("visits", 1);
                System.out.println("visits counted on the server: " + kv.increment("visits", 1));
            }
        }
    }
}
