package dev.arbor.bench.workload;

/**
 * Workloads of the fixed workload that Arbor cannot run yet. The report lists each as "not yet" for
 * the systems that will run it, so nothing is skipped silently; an entry moves to {@link Workload}
 * when the feature it measures lands.
 */
public enum PlannedWorkload {
    W8("view emit([doc.city, doc.age], 1) with _count and _sum, group_level=1; first build and query p50",
            "views (issue 7)", "arbor (JavaScript and Java views), pouchdb-leveldb, sqlite-normal, sqlite-full (GROUP BY)");

    public final String description;
    public final String waitsFor;
    public final String systems;

    PlannedWorkload(String description, String waitsFor, String systems) {
        this.description = description;
        this.waitsFor = waitsFor;
        this.systems = systems;
    }
}
