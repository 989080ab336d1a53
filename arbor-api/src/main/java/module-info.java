/**
 * The contracts every backend implements ({@code Database}, {@code Storage} and their facets) and the values they
 * take and return: what an application programs against, embedded or remote, so all of it is exported.
 *
 */
module dev.arbor.api {
    // Errors and JSON documents appear in every signature here.
    requires transitive dev.arbor.core;

    exports dev.arbor.api;
    exports dev.arbor.api.custom;
    exports dev.arbor.api.find;
    exports dev.arbor.api.hook;
    exports dev.arbor.api.key;
    exports dev.arbor.api.keyvalue;
    exports dev.arbor.api.live;
    exports dev.arbor.api.permission;
    exports dev.arbor.api.pubsub;
    exports dev.arbor.api.schema;
    exports dev.arbor.api.spi;
    exports dev.arbor.api.view;
    exports dev.arbor.api.view.typed;

    // Jackson writes these values reflectively (CommitEvent and its Seq on pub/sub's changes topic, through
    // Seq's package-private @JsonValue); on the module path that needs the package open to it.
    opens dev.arbor.api to com.fasterxml.jackson.databind;
}
