package dev.arbor.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP counters of {@code /_node/_local/_stats}, in CouchDB's shape ({@code couchdb.httpd.requests},
 * {@code couchdb.httpd_request_methods}, {@code couchdb.httpd_status_codes}): every request the router answered,
 * since the server started.
 */
public final class RequestStats {
    /** The methods and statuses CouchDB lists, each shown even while still 0. */
    private static final List<String> METHODS = List.of("COPY", "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT");
    private static final List<Integer> STATUSES = List.of(200, 201, 202, 204, 206, 301, 302, 304, 400, 401, 403, 404,
            405, 406, 409, 412, 413, 414, 415, 416, 417, 500, 501, 503, 507);

    private final LongAdder requests = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> methods = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, LongAdder> statuses = new ConcurrentHashMap<>();

    void count(String method, int status) {
        requests.increment();
        methods.computeIfAbsent(method, m -> new LongAdder()).increment();
        statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    /** {@code {"couchdb": {...}}}: the counters as CouchDB's stats tree. */
    public ObjectNode toJson() {
        ObjectNode couchdb = Json.object();
        couchdb.putObject("httpd").set("requests", counter(requests.sum(), "number of HTTP requests"));
        ObjectNode byMethod = couchdb.putObject("httpd_request_methods");
        for (String method : METHODS) {
            byMethod.set(method, counter(sum(methods.get(method)), "number of HTTP " + method + " requests"));
        }
        ObjectNode byStatus = couchdb.putObject("httpd_status_codes");
        for (int status : STATUSES) {
            byStatus.set(Integer.toString(status), counter(sum(statuses.get(status)), "number of HTTP " + status + " responses"));
        }
        ObjectNode root = Json.object();
        root.set("couchdb", couchdb);
        return root;
    }

    private static long sum(LongAdder adder) {
        return adder == null ? 0 : adder.sum();
    }

    private static ObjectNode counter(long value, String desc) {
        return Json.object().put("value", value).put("type", "counter").put("desc", desc);
    }
}
