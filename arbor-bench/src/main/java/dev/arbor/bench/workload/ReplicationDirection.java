package dev.arbor.bench.workload;

import java.util.List;

/**
 * The replications W11 times: which server holds the source, which the target, and whose replicator runs it (the
 * server the one-shot {@code POST /_replicate} goes to). CouchDB to CouchDB is the anchor every other direction is
 * set beside.
 */
public enum ReplicationDirection {
    COUCHDB_TO_COUCHDB(Peer.COUCHDB, Peer.COUCHDB, Peer.COUCHDB, "cc", Metric.W11_CC_RATE, Metric.W11_CC_COUCHDB_CPU,
            Metric.W11_CC_ARBOR_CPU, Metric.W11_CC_MACHINE_CPU, Metric.W11_CC_COUCHDB_REQUESTS),
    COUCHDB_TO_ARBOR_BY_ARBOR(Peer.COUCHDB, Peer.ARBOR, Peer.ARBOR, "ca-arbor", Metric.W11_CA_ARBOR_RATE,
            Metric.W11_CA_ARBOR_COUCHDB_CPU, Metric.W11_CA_ARBOR_ARBOR_CPU, Metric.W11_CA_ARBOR_MACHINE_CPU,
            Metric.W11_CA_ARBOR_COUCHDB_REQUESTS),
    COUCHDB_TO_ARBOR_BY_COUCHDB(Peer.COUCHDB, Peer.ARBOR, Peer.COUCHDB, "ca-couchdb", Metric.W11_CA_COUCHDB_RATE,
            Metric.W11_CA_COUCHDB_COUCHDB_CPU, Metric.W11_CA_COUCHDB_ARBOR_CPU, Metric.W11_CA_COUCHDB_MACHINE_CPU,
            Metric.W11_CA_COUCHDB_COUCHDB_REQUESTS),
    ARBOR_TO_COUCHDB_BY_ARBOR(Peer.ARBOR, Peer.COUCHDB, Peer.ARBOR, "ac-arbor", Metric.W11_AC_ARBOR_RATE,
            Metric.W11_AC_ARBOR_COUCHDB_CPU, Metric.W11_AC_ARBOR_ARBOR_CPU, Metric.W11_AC_ARBOR_MACHINE_CPU,
            Metric.W11_AC_ARBOR_COUCHDB_REQUESTS),
    ARBOR_TO_COUCHDB_BY_COUCHDB(Peer.ARBOR, Peer.COUCHDB, Peer.COUCHDB, "ac-couchdb", Metric.W11_AC_COUCHDB_RATE,
            Metric.W11_AC_COUCHDB_COUCHDB_CPU, Metric.W11_AC_COUCHDB_ARBOR_CPU, Metric.W11_AC_COUCHDB_MACHINE_CPU,
            Metric.W11_AC_COUCHDB_COUCHDB_REQUESTS);

    /** A server of W11. */
    public enum Peer {
        COUCHDB("CouchDB"), ARBOR("Arbor");

        public final String label;

        Peer(String label) {
            this.label = label;
        }
    }

    public final Peer source;
    public final Peer target;
    public final Peer replicator;
    /** Part of the target database's name. */
    public final String slug;
    public final Metric rate;
    public final Metric couchDbCpu;
    public final Metric arborCpu;
    public final Metric machineCpu;
    public final Metric couchDbRequests;

    ReplicationDirection(Peer source, Peer target, Peer replicator, String slug, Metric rate, Metric couchDbCpu,
                         Metric arborCpu, Metric machineCpu, Metric couchDbRequests) {
        this.source = source;
        this.target = target;
        this.replicator = replicator;
        this.slug = slug;
        this.rate = rate;
        this.couchDbCpu = couchDbCpu;
        this.arborCpu = arborCpu;
        this.machineCpu = machineCpu;
        this.couchDbRequests = couchDbRequests;
    }

    /** The direction and the replicator, as the report's rows name them: "CouchDB → Arbor, pulled by Arbor". */
    public String label() {
        if (source == target) {
            return source.label + " → " + target.label + " (two databases of one server)";
        }
        String how = replicator == target ? "pulled" : "pushed";
        return source.label + " → " + target.label + ", " + how + " by " + replicator.label + "'s replicator";
    }

    /** A chart's bar label: "CouchDB→Arbor by Arbor". */
    public String shortLabel() {
        return source == target ? source.label + "→" + target.label : source.label + "→" + target.label + " by " + replicator.label;
    }

    /** The profile figures beside the rate, in the order the report prints them. */
    public List<Metric> profile() {
        return List.of(couchDbCpu, arborCpu, machineCpu, couchDbRequests);
    }

    public static ReplicationDirection anchor() {
        return COUCHDB_TO_COUCHDB;
    }
}
