package dev.arbor.bench.system;

import java.util.List;

/**
 * What the workload asks of a database, once per operation, so every JVM system is driven by the
 * same loop ({@link dev.arbor.bench.run.WorkloadPass}) and differs only in what it does per call.
 * A system without an operation throws {@link dev.arbor.bench.workload.NotApplicable}; one that cannot
 * do it yet throws {@link UnsupportedOperationException}.
 *
 * @param <D> a document in the form the system takes as input, made by {@link #prepare} before any clock starts
 */
public interface DocumentStore<D> extends AutoCloseable {

    /** Turns one JSON line of the data set into this system's input form. Not timed. */
    D prepare(String jsonLine);

    /** Writes the docs in one call (one commit); returns how many were accepted. */
    int bulkInsert(List<D> docs);

    /** Writes one new doc in its own commit. Called from many threads at once in the concurrent W2 pass. */
    void insert(D doc);

    /** Reads the full current doc of {@code id}; true when found. */
    boolean read(String id);

    /** Reads the current doc of {@code id}, adds 1 to {@code score}, sets {@code updated} to {@code i}, writes it back over that revision. */
    void update(String id, int i);

    /** Lists every doc with its body; returns the number of rows. */
    long scanAllDocs();

    /** Lists the changes since the start, without docs; returns the number of rows. */
    long changesSinceStart();

    /**
     * W7: creates a secondary index on {@code age} as the system offers one (a Mango json index, an expression
     * index). Where indexes build lazily the pass's first query builds it, and is timed with this call.
     */
    default void createAgeIndex() {
        throw new dev.arbor.bench.workload.NotApplicable("no secondary indexes");
    }

    /**
     * W7: the docs with {@code type} "user" and {@code 30 <= age < 40}, in age order, each read whole as the
     * application would get it; all of them when {@code limit} is negative. Returns how many.
     */
    default long findUsersInTheirThirties(int limit) {
        throw new dev.arbor.bench.workload.NotApplicable("no secondary indexes");
    }

    /** The two W8 views: the same map, {@code emit([doc.city, doc.age], 1)}, with one reduce each. */
    enum CityAgeView { COUNT, SUM }

    /**
     * W8: defines both views as the system offers them (one JavaScript design document with two views, an
     * expression index). Where views build lazily the pass's first query of each builds them, timed with this call.
     */
    default void defineCityAgeViews() {
        throw new dev.arbor.bench.workload.NotApplicable("no views");
    }

    /** W8: the view reduced with {@code group_level=1}, one row per city, every row read as the application gets it. */
    default CityGroups groupByCity(CityAgeView view) {
        throw new dev.arbor.bench.workload.NotApplicable("no views");
    }

    /**
     * W8's Java arm: the same two views as typed Java views (map and reduce compiled Java, no JavaScript), registered;
     * they build on the first query of each, timed with this call.
     */
    default void defineJavaCityAgeViews() {
        throw new dev.arbor.bench.workload.NotApplicable("no views written in Java");
    }

    /** W8's Java arm: {@link #groupByCity} of the typed view. */
    default CityGroups groupByCityInJava(CityAgeView view) {
        throw new dev.arbor.bench.workload.NotApplicable("no views written in Java");
    }

    /** Replicates every doc, with default options, to a fresh database of the same system; returns the docs written. */
    default long replicateToFresh() {
        throw new dev.arbor.bench.workload.NotApplicable("no replication protocol");
    }

    /** Runs the same replication again (nothing to do, resumes from its checkpoint); returns the docs written. */
    default long replicateAgain() {
        throw new dev.arbor.bench.workload.NotApplicable("no replication protocol");
    }

    /**
     * Replicates every doc over HTTP between two servers of the system (see {@link dev.arbor.bench.workload.Metric#W9_HTTP_RATE});
     * returns the docs written. The servers are set up before the clock starts, in {@link #prepareHttpReplication()}.
     */
    default long replicateOverHttp() {
        throw new dev.arbor.bench.workload.NotApplicable("no HTTP server");
    }

    /** Untimed set-up of {@link #replicateOverHttp()}: starts the servers and loads the source. */
    default void prepareHttpReplication() {
        throw new dev.arbor.bench.workload.NotApplicable("no HTTP server");
    }

    @Override
    void close();
}
