package dev.arbor.replication;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Seq;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** CouchDB's compare_replication_logs: where a replication resumes. */
class CheckpointerTest {
    private static ObjectNode log(String json) {
        return Json.parseObject(json.replace('\'', '"'));
    }

    @Test
    void withoutALogOnEitherSideItStartsFromZero() {
        assertEquals(Seq.of(0), Checkpointer.commonSeq(null, log("{'session_id':'s','source_last_seq':9}")));
        assertEquals(Seq.of(0), Checkpointer.commonSeq(log("{'session_id':'s','source_last_seq':9}"), null));
    }

    @Test
    void theSameSessionOnBothSidesResumesAtTheSourcesLastSeq() {
        assertEquals(Seq.of(9), Checkpointer.commonSeq(log("{'session_id':'s','source_last_seq':9,'history':[]}"),
                log("{'session_id':'s','source_last_seq':9,'history':[]}")));
    }

    @Test
    void otherwiseTheNewestSourceSessionTheTargetKnowsGivesItsRecordedSeq() {
        ObjectNode source = log("{'session_id':'s3','source_last_seq':30,'history':["
                + "{'session_id':'s3','recorded_seq':30},{'session_id':'s2','recorded_seq':20},{'session_id':'s1','recorded_seq':10}]}");
        ObjectNode target = log("{'session_id':'s2','source_last_seq':20,'history':[{'session_id':'s2','recorded_seq':20},{'session_id':'s1','recorded_seq':10}]}");
        assertEquals(Seq.of(20), Checkpointer.commonSeq(source, target));
        ObjectNode strangerTarget = log("{'session_id':'x','source_last_seq':5,'history':[{'session_id':'x','recorded_seq':5}]}");
        assertEquals(Seq.of(0), Checkpointer.commonSeq(source, strangerTarget));
    }

    @Test
    void pouchDbsLastSeqAndCouchDbsOpaqueSeqsAreUnderstood() {
        ObjectNode pouch = log("{'session_id':'p2','history':[{'session_id':'p1','last_seq':12}]}");
        assertEquals(Seq.of(12), Checkpointer.commonSeq(pouch, log("{'session_id':'p1','history':[{'session_id':'p1','last_seq':12}]}")));
        assertEquals(new Seq.Token("34-g1AAAA"), Checkpointer.commonSeq(log("{'session_id':'c','source_last_seq':'34-g1AAAA'}"),
                log("{'session_id':'c','source_last_seq':'34-g1AAAA'}")));
    }
}
