package dev.arbor.server.tls;

import dev.arbor.server.ServerConfig;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Renews an ACME certificate while the server runs, so a server that runs for months never serves an expired one.
 * Its own daemon thread ({@code arbor-acme-renewal}) owns the checks and the renewals: every
 * {@link ServerConfig.Acme#renewalCheck()} it looks whether the served certificate has come within
 * {@link ServerConfig.Acme#renewBefore()} of its end; then it obtains a new one (written over the kept PEM files, so a
 * restart serves it too) and reloads Jetty's {@link SslContextFactory} with it. New handshakes get the new
 * certificate; connections already open keep the session they have. A renewal that fails is logged and tried again at
 * the next check, the old certificate being served meanwhile: the window is weeks long for that reason.
 */
public final class AcmeRenewal implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AcmeRenewal.class.getName());

    private final ServerConfig.Tls settings;
    private final Path directory;
    private final SslContextFactory.Server factory;
    private final ScheduledExecutorService thread;
    /** Written by the renewal thread only; read by anyone asking what the server presents. */
    private volatile ServerTls current;

    private AcmeRenewal(ServerConfig.Tls settings, Path directory, ServerTls initial, SslContextFactory.Server factory) {
        this.settings = settings;
        this.directory = directory;
        this.current = initial;
        this.factory = factory;
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "arbor-acme-renewal");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the checks for the certificate {@code initial} that {@code factory} serves, the first one a check interval
     * from now (the start has just made sure the certificate is not due).
     */
    public static AcmeRenewal start(ServerConfig.Tls settings, Path dataDir, ServerTls initial, SslContextFactory.Server factory) {
        if (settings.acme() == null) {
            throw new IllegalArgumentException("renewal is for a certificate from an ACME authority");
        }
        AcmeRenewal renewal = new AcmeRenewal(settings, dataDir.resolve(ServerTls.DIRECTORY), initial, factory);
        long every = settings.acme().renewalCheck().toMillis();
        renewal.thread.scheduleWithFixedDelay(renewal::checkQuietly, every, every, TimeUnit.MILLISECONDS);
        return renewal;
    }

    /** The certificate served to new connections now. */
    public ServerTls current() {
        return current;
    }

    private void checkQuietly() {
        try {
            renewIfDue();
        } catch (RuntimeException e) {
            // The old certificate stays in service; the next check tries again.
            LOG.log(System.Logger.Level.WARNING, "renewing the certificate for " + settings.serverName() + " failed; the current one, valid until "
                    + current.certificate().certificate().getNotAfter().toInstant() + ", is still served", e);
        }
    }

    /** Renews the certificate and reloads the TLS engine with it when it is due; true when it did. */
    boolean renewIfDue() {
        if (!ServerTls.renewalDue(current.certificate(), settings.acme(), Instant.now())) {
            return false;
        }
        ServerCertificate renewed = ServerTls.issueFromAcme(settings, directory);
        try {
            factory.reload(f -> ServerTls.serve(f, renewed));
        } catch (Exception e) {
            throw new IllegalStateException("the TLS engine did not take the renewed certificate: " + e.getMessage(), e);
        }
        current = current.renewed(renewed);
        LOG.log(System.Logger.Level.INFO, "renewed the certificate for " + settings.serverName() + ": new connections get serial "
                + renewed.certificate().getSerialNumber().toString(16) + ", valid until " + renewed.certificate().getNotAfter().toInstant());
        return true;
    }

    /**
     * Stops the checks. A renewal under way is interrupted: it gives up while it waits on the authority, and files it
     * was writing are each replaced whole or not at all; the next start issues anew if the pair does not match.
     */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
