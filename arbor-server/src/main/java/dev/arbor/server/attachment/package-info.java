/**
 * Attachments over HTTP, as CouchDB 3 serves them: {@code /{db}/{docid}/{attname}} streamed both ways
 * with Range and Content-MD5 ({@link dev.arbor.server.attachment.AttachmentEndpoints}), and the
 * multipart forms of the document endpoints that CouchDB's replicator uses
 * ({@link dev.arbor.server.attachment.MultipartDocumentEndpoints}).
 *
 * <p>Multipart parsing is Jetty's {@code org.eclipse.jetty.http.MultiPart.Parser}: it is generic over the
 * multipart subtype, well kept and already on the class path. It is a push parser, so
 * {@code StreamingMultipartReader} pulls it: it feeds the parser one read of the body whenever the current part's
 * stream needs bytes, so no part is ever held whole. ({@code MultiPartFormData} is not used: it is for
 * form-data and spools parts to memory or disk.) Writing multipart is a few delimiter lines, so
 * {@code MultipartWriter} writes CouchDB's exact bytes itself rather than adapting Jetty's async
 * content sources.
 */
package dev.arbor.server.attachment;
