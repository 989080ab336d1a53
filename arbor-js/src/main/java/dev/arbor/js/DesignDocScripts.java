package dev.arbor.js;

import java.util.List;
import java.util.Map;

/**
 * Everything a {@link Sandbox} needs to instantiate one design document's functions: the compiled
 * sources and the JSON that {@code require} and {@code this} see. Immutable, shared by all sandboxes.
 *
 * @param docId        the design document's {@code _id}, for log lines
 * @param designDoc    the design document's JSON: {@code this} of validate and filter functions, and
 *                     the root their {@code require} walks
 * @param viewRequireRoot JSON of {@code {"views": {"lib": ...}}}: all that map and reduce functions may
 *                     require, as in CouchDB
 * @param maps         map functions by view index
 * @param reduces      JavaScript reduce functions by view index, {@code null} where the view has a
 *                     built-in or no reduce
 * @param validate     {@code validate_doc_update}, or {@code null}
 * @param filters      {@code filters.*} by name
 */
record DesignDocScripts(String docId, String designDoc, String viewRequireRoot, List<FunctionSource> maps,
                        List<FunctionSource> reduces, FunctionSource validate, Map<String, FunctionSource> filters) {
}
