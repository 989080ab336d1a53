package dev.arbor.server.bench;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP ceiling for the W10 benchmark: the same stack as Arbor's server (Jetty 12.1 core,
 * {@link VirtualThreadPool}, one blocking handler) answering every request with fixed JSON bytes
 * from memory. Arbor's random GETs are measured against this.
 *
 * <p>{@code java ... dev.arbor.server.bench.BareHandlerServer [port] [bodyFile]}: the body defaults to
 * a 400-byte document like the benchmark's.
 */
public final class BareHandlerServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    public BareHandlerServer(String host, int port, byte[] body) throws Exception {
        server = new Server(new VirtualThreadPool(dev.arbor.server.ArborServer.MAX_CONCURRENT_REQUESTS));
        connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        ByteBuffer bytes = ByteBuffer.wrap(body).asReadOnlyBuffer();
        server.setHandler(new Handler.Abstract(Handler.Abstract.InvocationType.BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.remaining());
                response.write(true, bytes.slice(), callback);
                return true;
            }
        });
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** A JSON document of about 400 bytes, the size of the benchmark's documents. */
    public static byte[] sampleBody() {
        StringBuilder json = new StringBuilder("{\"_id\":\"doc-000042\",\"_rev\":\"1-0b5deb4794930d8f916c81e9fdd255b0\",\"text\":\"");
        while (json.length() < 398) {
            json.append('x');
        }
        return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        byte[] body = args.length > 1 ? java.nio.file.Files.readAllBytes(java.nio.file.Path.of(args[1])) : sampleBody();
        BareHandlerServer bare = new BareHandlerServer("127.0.0.1", port, body);
        System.out.println("bare handler listening on http://127.0.0.1:" + bare.port() + "/");
        bare.server.join();
    }
}
