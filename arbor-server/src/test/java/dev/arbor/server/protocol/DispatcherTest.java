package dev.arbor.server.protocol;

import dev.arbor.protocol.Op;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DispatcherTest {
    @Test
    void everyOperationOfTheProtocolHasAHandler() {
        assertEquals(Set.<Op>of(), new Dispatcher().unhandled());
    }
}
