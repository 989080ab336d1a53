package dev.arbor.server.http;

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

    public RouterHandler(Router router, long maxBodyBytes, String serverHeader, AccessLog accessLog) {
        super(InvocationType.BLOCKING);
        this.router = router;
        this.maxBodyBytes = maxBodyBytes;
        this.serverHeader = serverHeader;
        this.accessLog = accessLog;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        HttpExchange exchange = new HttpExchange(request, response, maxBodyBytes, serverHeader);
        try {
            router.handle(exchange);
            exchange.finish();
            accessLog.log(exchange, start, null);
            callback.succeeded();
        } catch (Throwable e) {
            accessLog.log(exchange, start, "aborted");
            callback.failed(e);
        }
        return true;
    }
}
