package dev.arbor.bench.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataGeneratorTest {

    /** The sums published in shared/bench/WORKLOAD.md for gen.js's output, copied here so the test needs no file outside the project. */
    private static final Map<String, String> WORKLOAD_MD_SUMS = Map.of(
            "docs.jsonl", "d8dbcb0770a6fb2cfd6dbc1b440b98efb0d9bdd46df1e6bedab3a5dfff343f1c",
            "w2.jsonl", "9e81af49d26e62f7e0b26dd95b5157956beab7e2112acb2ffdaf3482815dd430",
            "w3_ids.txt", "fa322fdd50bf0889c4a17409a0254720bfd0a328d6b566a2e4bec90492040450",
            "w4_ids.txt", "dd905f13830c6af978a7b30f20127ca3e485dcfd90a8a22d8b4364d8f1a0b0b7",
            "w10a.jsonl", "96100c41507e6927438edb318ac5e2ab709bd4594d73ccaa3dbabaa26e42d2e9");

    @Test
    void fullDataSetIsByteIdenticalToGenJs(@TempDir Path dir) {
        DataGenerator.write(Scale.of(Scale.FULL_DOCS), dir);

        for (var expected : WORKLOAD_MD_SUMS.entrySet()) {
            assertEquals(expected.getValue(), ReferenceSums.sha256(dir.resolve(expected.getKey())), expected.getKey());
        }
    }

    @Test
    void embeddedFullSumsAreTheOnesWorkloadMdPublishes() {
        assertEquals(WORKLOAD_MD_SUMS, Map.copyOf(ReferenceSums.forDocs(Scale.FULL_DOCS).orElseThrow()));
    }

    @Test
    void quickDataSetMatchesItsEmbeddedSums(@TempDir Path dir) {
        DataGenerator.write(Scale.of(Scale.QUICK_DOCS), dir);

        assertEquals(java.util.List.of(), ReferenceSums.mismatches(dir, ReferenceSums.forDocs(Scale.QUICK_DOCS).orElseThrow()));
    }

    @Test
    void firstDocIsGenJsFirstLine(@TempDir Path dir) throws Exception {
        DataGenerator.write(Scale.of(50), dir);

        String first = Files.readAllLines(dir.resolve(DataGenerator.DOCS)).get(0);
        assertTrue(first.startsWith("{\"_id\":\"doc-000001\",\"type\":"), first);
        assertTrue(first.matches(".*\"created\":\"20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\".*"), first);
    }

    @Test
    void scaledCountsKeepGenJsProportions(@TempDir Path dir) throws Exception {
        DataGenerator.write(Scale.of(500), dir);

        WorkloadData data = WorkloadData.read(dir);
        assertEquals(new Scale(500, 10, 100, 50, 25), data.scale());
        assertEquals(50, data.w4Ids().stream().distinct().count(), "W4 ids are distinct");
    }

    @Test
    void dataSetsRefusesNothingAndReusesAVerifiedSet(@TempDir Path cache) {
        var first = DataSets.ensure(Scale.of(Scale.QUICK_DOCS), cache);
        var again = DataSets.ensure(Scale.of(Scale.QUICK_DOCS), cache);

        assertTrue(first.verified());
        assertEquals(first, again);
        DataSets.verify(again);
    }
}
