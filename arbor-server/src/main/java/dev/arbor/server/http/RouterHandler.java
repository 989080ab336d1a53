package dev.arbor.server.http;

import dev.arbor.core.error.ArborException;
import dev.arbor.wire.HttpStatus;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The one Jetty handler: wraps each request in an {@link HttpExchange}, hands it to the {@link Router}
 * on the request's virtual thread (blocking I/O is fine there), and logs it. A failure after the
 * response began fails the callback, which makes Jetty break the connection off.
 */
public final class RouterHandler extends Handler.Abstract {
    private final Router router;
    private final long maxBodyBytes;
    private final String serverHeader;
    private final AccessLog accessLog;
    private final RequestStats stats;

    public RouterHandler(Router router, long maxBodyBytes, String serverHeader, AccessLog accessLog) {
        this(router, maxBodyBytes, serverHeader, accessLog, new RequestStats());
    }

    public RouterHandler(Router router, long maxBodyBytes, String serverHeader, AccessLog accessLog, RequestStats stats) {
        super(InvocationType.BLOCKING);
        this.stats = stats;
        this.router = router;
        this.maxBodyBytes = maxBodyBytes;
        this.serverHeader = serverHeader;
        this.accessLog = accessLog;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        HttpExchange exchange;
        try {
            exchange = new HttpExchange(request, response, maxBodyBytes, serverHeader);
        } catch (ArborException refused) {
            // A path or query with bad percent-encoding fails while the exchange reads them, before the Router
            // could map the error; it is the client's 400, not a 500 (found by HostileInputHttpTest).
            refuse(response, refused, callback);
            return true;
        }
        try {
            router.handle(exchange);
            exchange.finish();
            stats.count(exchange.method(), exchange.status());
            accessLog.log(exchange, start, null);
            callback.succeeded();
        } catch (Throwable e) {
            accessLog.log(exchange, start, "aborted");
            callback.failed(e);
        }
        return true;
    }

    private void refuse(Response response, ArborException refused, Callback callback) {
        response.setStatus(HttpStatus.of(refused));
        response.getHeaders().put("Content-Type", "application/json");
        response.getHeaders().put("Cache-Control", "must-revalidate");
        response.getHeaders().put("Server", serverHeader);
        byte[] body = dev.arbor.core.json.Json.bytes(dev.arbor.core.json.Json.object()
                .put("error", refused.error()).put("reason", refused.reason()));
        response.write(true, java.nio.ByteBuffer.wrap(body), callback);
    }
}
