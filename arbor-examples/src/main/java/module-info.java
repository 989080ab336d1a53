/**
 * The runnable examples, written as an application would be: against the exported API only. Being a module makes
 * javac refuse any import of an engine-internal package here, so the examples cannot drift onto one.
 */
module dev.arbor.examples {
    requires dev.arbor.engine;
    requires dev.arbor.collection;
    // The client/server examples start a server in process and reach it over ws:// (the client comes with it).
    requires dev.arbor.server;
    // Only to quiet Jetty's INFO lines under the in-process server (ExampleMain).
    requires java.logging;

    // Records the examples store (collections, pub/sub payloads, key-value values) are read and written by Jackson.
    opens dev.arbor.examples to com.fasterxml.jackson.databind;
}
