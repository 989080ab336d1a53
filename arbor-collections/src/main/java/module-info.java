/**
 * Typed collections of Java records on any {@code Database}. Records are read and written by Jackson, so an
 * application on the module path opens the package of its records to {@code com.fasterxml.jackson.databind}.
 */
module dev.arbor.collection {
    requires transitive dev.arbor.api;

    exports dev.arbor.collection;
}
