package dev.arbor.server.protocol;

import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Frames;
import dev.arbor.protocol.Protocol;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.nio.ByteBuffer;

/**
 * A connection whose upgrade request could not be authenticated (a wrong password, a locked-out user): it says why in
 * one failure frame, as a refused hello does, and closes without reading anything. The upgrade is accepted for this
 * alone, because a WebSocket client cannot read the body of a refused upgrade, and the reason is what the user needs.
 *
 * <p>Public only because Jetty calls the listener methods through method handles.
 */
public final class RefusedConnection implements Session.Listener {
    private final Frame.Failure why;

    RefusedConnection(Frame.Failure why) {
        this.why = why;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        session.sendBinary(ByteBuffer.wrap(Frames.encode(why)), Callback.from(
                () -> session.close(Protocol.CLOSE_POLICY_VIOLATION, why.error(), Callback.NOOP),
                x -> session.disconnect()));
    }
}
