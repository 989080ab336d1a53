/**
 * The embedded engine on RocksDB and in memory. Applications reach it only through {@code dev.arbor}: {@code Arbor}
 * opens databases and storages, {@code ArborOptions} (with {@code KeyValueOptions} and {@code WriteLimits}) tunes
 * them, and what they return are the {@code dev.arbor.api} contracts. Everything under {@code dev.arbor.engine} is
 * implementation, free to change between releases, and exported to no one.
 */
module dev.arbor.engine {
    // Arbor's methods return Database and Storage, and take SchemaBinding, hooks and typed views.
    requires transitive dev.arbor.api;
    requires dev.arbor.js;
    // rocksdbjni has neither a module-info nor an Automatic-Module-Name: "rocksdbjni" is derived from the jar's file
    // name (rocksdbjni-9.10.0.jar). It is stable across RocksDB releases as long as the artifact keeps its name.
    requires rocksdbjni;
    requires com.github.benmanes.caffeine;

    exports dev.arbor;
    // The values ArborOptions takes, apart so the engine's packages can read them without reaching up to Arbor.
    exports dev.arbor.options;

    // Arbor.open(String) hands URLs to providers (arbor-client's RemoteDatabaseProvider).
    uses dev.arbor.api.spi.DatabaseProvider;
}
