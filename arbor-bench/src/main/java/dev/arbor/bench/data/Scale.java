package dev.arbor.bench.data;

/**
 * How big a data set is. gen.js fixes N = 100,000 with 2,000 W2 writes, 20,000 W3 reads, 10,000 W4
 * updates and 5,000 W10 writes; smaller sets keep those proportions (N/50, N/5, N/10, N/20) so every
 * workload shrinks with N and a quick run measures the same mix.
 */
public record Scale(int docs, int w2Writes, int w3Reads, int w4Updates, int w10Writes) {

    public static final int FULL_DOCS = 100_000;
    public static final int QUICK_DOCS = 10_000;

    public Scale {
        if (docs < 50 || docs > 999_999) {
            throw new IllegalArgumentException("N must be in 50..999999 (ids are doc-NNNNNN), got " + docs);
        }
    }

    /** C1, K1: writes one per call (N/50, as W2), gets (N/5, as W3), lazy key-value writes (N/5). */
    public int singleWrites() {
        return docs / 50;
    }

    public int randomReads() {
        return docs / 5;
    }

    public int lazyWrites() {
        return docs / 5;
    }

    /** P1: messages published to one subscriber (N) and to 100 (N/5: each is 100 deliveries). */
    public int messages(int subscribers) {
        return subscribers == 1 ? docs : docs / 5;
    }

    public static Scale of(int docs) {
        return new Scale(docs, docs / 50, docs / 5, docs / 10, docs / 20);
    }
}
