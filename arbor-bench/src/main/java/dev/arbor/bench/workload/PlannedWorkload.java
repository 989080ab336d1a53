package dev.arbor.bench.workload;

/**
 * Workloads of the fixed workload that Arbor cannot run yet. The report lists each as "not yet" for
 * the systems that will run it, so nothing is skipped silently; an entry moves to {@link Workload}
 * when the feature it measures lands.
 */
public enum PlannedWorkload {
    ; // every workload of WORKLOAD.md runs now (W8 was the last, with views)

    public final String description;
    public final String waitsFor;
    public final String systems;

    PlannedWorkload(String description, String waitsFor, String systems) {
        this.description = description;
        this.waitsFor = waitsFor;
        this.systems = systems;
    }
}
