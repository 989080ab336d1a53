package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.custom.Api;
import dev.arbor.api.custom.ApiException;
import dev.arbor.api.custom.ApiPermission;
import dev.arbor.api.permission.Permissions;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.ApiCalls;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;
import dev.arbor.server.api.ApiContext;
import dev.arbor.server.http.UserCtx;

import static dev.arbor.protocol.Values.requireText;

/**
 * The dispatch row of custom APIs ({@link Op#API_CALL}): find the API by name ({@code not_found} if the server has
 * none), check the permission it declares against the caller's statements ({@code unauthorized} for an anonymous
 * caller, {@code forbidden} for another), decode the request into the API's record, and run the handler on the
 * request's own virtual thread, inside {@code asCaller} as the storage operations run, so the server's guards see the
 * caller. Stateless beyond the frozen registry.
 */
final class CustomApiRows {
    private static final System.Logger LOG = System.getLogger("dev.arbor.server.protocol");

    private CustomApiRows() {}

    static void register(Dispatcher dispatcher, CustomApis apis) {
        dispatcher.on(Op.API_CALL, (c, a) -> {
            String name = requireText(a, "name");
            CustomApis.Registered<?, ?> registered = apis.find(name).orElseThrow(() ->
                    new ArborException.NotFound("no custom API named " + name + " on this server"));
            return call(c.caller(), registered, a.path("request"));
        });
    }

    private static <Q, R> JsonNode call(Caller caller, CustomApis.Registered<Q, R> registered, JsonNode request) {
        Api<Q, R> api = registered.api();
        UserCtx user = caller.user();
        if (api.permission() != null) {
            check(caller, api.name(), api.permission());
        }
        if (request.isMissingNode() || request.isNull()) {
            throw new ArborException.BadRequest("bad_request", "a call of " + api.name() + " carries its request, a "
                    + api.requestType().getSimpleName());
        }
        Q decoded = Values.record(request, api.requestType());
        ApiContext context = new ApiContext(user.name(), user.roles(), new CallerStorage(caller),
                caller.access().permissions(user, null));
        try {
            // As the caller, so design documents' validation functions judge what the handler writes as the caller's.
            R response = dev.arbor.api.UserContext.callAs(new dev.arbor.api.UserContext(user.name(), user.roles()),
                    () -> registered.handler().handle(decoded, context));
            return ApiCalls.answered(response);
        } catch (ApiException e) {
            if (!api.errorType().isInstance(e.error())) {
                // The handler broke its own API's contract; the caller could not read the record as declared.
                LOG.log(System.Logger.Level.ERROR, "API " + api.name() + " answered an error of "
                        + e.error().getClass().getName() + ", not of its declared " + api.errorType().getName());
                throw new ArborException.Internal("API " + api.name() + " answered an undeclared error", e);
            }
            return ApiCalls.failed(e.error());
        }
    }

    private static void check(Caller caller, String apiName, ApiPermission permission) {
        Permissions granted = caller.access().permissions(caller.user(), permission.database());
        if (granted.allowed(permission.resource(), permission.action())) {
            return;
        }
        if (caller.user().isAnonymous()) {
            throw new ArborException.Unauthorized("You are not authorized to call " + apiName + ": it needs "
                    + permission.action() + " on " + permission.resource() + ", which no anonymous caller has");
        }
        throw new ArborException.Forbidden("You are not allowed to " + permission.action() + " on "
                + permission.resource() + ", which " + apiName + " needs");
    }
}
