/**
 * CouchDB design-document JavaScript (map/reduce, validate_doc_update, filters) on Rhino: the engine's business,
 * exported to it alone; applications write JavaScript in design documents, never against these classes.
 *
 * <p>{@code @SuppressWarnings("module")}: the qualified exports name modules built after this one, which javac
 * reports as not found while compiling it.
 */
@SuppressWarnings("module")
module dev.arbor.js {
    requires dev.arbor.core;
    requires org.mozilla.rhino;
    requires jdk.management;

    exports dev.arbor.js to dev.arbor.engine;
    // For the classes Rhino generates from JavaScript, which live outside any named module; see MeteredBootstrap.
    exports dev.arbor.js.link;
}
