package dev.arbor.bench.data;

/**
 * The mulberry32 generator of gen.js, bit for bit: JavaScript's {@code |0}, {@code Math.imul} and
 * {@code >>>} are Java's int addition, multiplication and {@code >>>}, and the final {@code >>> 0}
 * makes the 32 bits unsigned before dividing by 2^32.
 */
public final class Mulberry32 {
    private int state;

    public Mulberry32(int seed) {
        this.state = seed;
    }

    /** The next double in [0, 1), as gen.js's {@code rnd()}. */
    public double next() {
        state += 0x6D2B79F5;
        int t = (state ^ (state >>> 15)) * (1 | state);
        t = (t + (t ^ (t >>> 7)) * (61 | t)) ^ t;
        return ((t ^ (t >>> 14)) & 0xFFFFFFFFL) / 4294967296.0;
    }

    /** An int in [0, n), as gen.js's {@code ri(n)}: {@code Math.floor(rnd() * n)}. */
    public int nextInt(int n) {
        return (int) Math.floor(next() * n);
    }
}
