/**
 * CouchDB 3.x's Mango query language as a pure library: selectors ({@link dev.arbor.core.mango.Selector}),
 * {@code fields} projection ({@link dev.arbor.core.mango.Fields}), {@code sort} specs
 * ({@link dev.arbor.core.mango.Sort}) and what a query planner needs to know about a selector
 * ({@link dev.arbor.core.mango.IndexCoverage}, {@link dev.arbor.core.mango.FieldRange}).
 *
 * <p>The contract is CouchDB's {@code mango_selector}, {@code mango_doc}, {@code mango_fields} and
 * {@code mango_sort} modules: the same normalization, the same match results, the same error tokens and
 * reasons. Where this package deliberately departs from CouchDB (mostly: rejecting at parse time what
 * CouchDB only fails on while matching, with a 500), the departure is documented where it happens.
 */
package dev.arbor.core.mango;
