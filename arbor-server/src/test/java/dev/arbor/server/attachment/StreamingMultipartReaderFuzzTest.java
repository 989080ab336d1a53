package dev.arbor.server.attachment;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Coverage-guided fuzzing of {@link StreamingMultipartReader}, which reads replicator uploads ({@code multipart/related}
 * PUTs) part by part. Any body, under any boundary, must be read to its end or fail with an {@link IOException}
 * (which the endpoint answers with 400); another exception, or a loop that never ends, is a finding.
 */
class StreamingMultipartReaderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyBodyIsReadPartByPartOrFailsWithIOException(FuzzedDataProvider data) {
        String boundary = data.consumeString(70);
        String contentType = "multipart/related; boundary=\"" + boundary + "\"";
        byte[] body = data.consumeRemainingAsBytes();
        try (StreamingMultipartReader reader = new StreamingMultipartReader(new ByteArrayInputStream(body), contentType)) {
            // Each part has at most the body's bytes: more would mean bytes were invented or repeated.
            StreamingMultipartReader.Part part;
            int parts = 0;
            while ((part = reader.nextPart()) != null) {
                long read = drain(part.content());
                if (read > body.length) {
                    throw new AssertionError("part " + parts + " yielded " + read + " bytes from a " + body.length + "-byte body");
                }
                if (++parts > body.length + 1) {
                    throw new AssertionError("more parts than bytes: the reader is not advancing");
                }
            }
        } catch (IOException refused) {
            // malformed multipart: 400 for the client
        }
    }

    private static long drain(InputStream content) throws IOException {
        return content.transferTo(OutputStream.nullOutputStream());
    }
}
