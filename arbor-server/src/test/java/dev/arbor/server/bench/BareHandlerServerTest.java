package dev.arbor.server.bench;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BareHandlerServerTest {
    @Test
    void answersEveryPathWithTheSameBytes() throws Exception {
        byte[] body = BareHandlerServer.sampleBody();
        try (BareHandlerServer bare = new BareHandlerServer("127.0.0.1", 0, body)) {
            HttpClient client = HttpClient.newHttpClient();
            for (String path : new String[] {"/", "/db/doc-1", "/db/doc-2"}) {
                HttpResponse<byte[]> response = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bare.port() + path)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, response.statusCode());
                assertArrayEquals(body, response.body());
            }
        }
    }
}
