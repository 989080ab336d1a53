package dev.arbor.server.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the requests one remote address has in flight at once (parked live feeds included), so one greedy client
 * cannot take every slot of the server; a request past the cap is answered at once with 429
 * {@code too_many_requests}. CouchDB has no such limit; it follows BonsaiDb's per-client connection limit.
 *
 * <p>A request counts from when it arrives until its callback completes, which for a streamed response is after
 * the last byte is written.
 */
public final class PerClientLimit extends Handler.Wrapper {
    private static final byte[] REFUSAL = ("{\"error\":\"too_many_requests\","
            + "\"reason\":\"Too many simultaneous requests from this client\"}\n").getBytes(StandardCharsets.UTF_8);

    private final int maxPerClient;
    private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    public PerClientLimit(int maxPerClient, Handler next) {
        super(next);
        if (maxPerClient < 1) {
            throw new IllegalArgumentException("maxPerClient must be positive: " + maxPerClient);
        }
        this.maxPerClient = maxPerClient;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String client = Request.getRemoteAddr(request);
        AtomicInteger count = inFlight.compute(client, (k, v) -> {
            AtomicInteger c = v == null ? new AtomicInteger() : v;
            c.incrementAndGet();
            return c;
        });
        if (count.get() > maxPerClient) {
            release(client);
            response.setStatus(429);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "must-revalidate");
            response.write(true, ByteBuffer.wrap(REFUSAL), callback);
            return true;
        }
        // Exactly once per request, whether the callback completes, the handler throws, or it declines.
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable releaseOnce = () -> {
            if (released.compareAndSet(false, true)) {
                release(client);
            }
        };
        Callback releasing = Callback.from(callback, releaseOnce);
        boolean handled = false;
        try {
            handled = super.handle(request, response, releasing);
            return handled;
        } finally {
            if (!handled) {
                releaseOnce.run();
            }
        }
    }

    /** Requests in flight from {@code client} now (tests, diagnostics). */
    public int inFlight(String client) {
        AtomicInteger count = inFlight.get(client);
        return count == null ? 0 : count.get();
    }

    private void release(String client) {
        // Removing at zero inside compute keeps the map from growing with every address ever seen.
        inFlight.computeIfPresent(client, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }
}
