package dev.arbor.api.spi;

import dev.arbor.api.Database;
import dev.arbor.api.Storage;

/**
 * A way to open a {@link Database} or {@link Storage} named by a location string, found with
 * {@link java.util.ServiceLoader}. {@code Arbor.open(String)} asks each provider on the class path
 * whether it {@link #accepts} the location (the remote client accepts {@code http://} and
 * {@code https://} URLs) and treats the location as a directory when none does, unless it is a URL
 * ({@code scheme://...}): that fails, naming the missing artifact, and creates nothing.
 *
 * <p>Implementations are listed in {@code META-INF/services/dev.arbor.api.spi.DatabaseProvider} and
 * need a public no-argument constructor.
 */
public interface DatabaseProvider {

    /** True when this provider knows how to open {@code location}; must not open anything. */
    boolean accepts(String location);

    /**
     * Opens the one database the location names (creating it when it does not exist, as
     * {@code Arbor.open(Path)} does); closing it releases everything the provider opened for it.
     */
    Database open(String location);

    /** Opens the storage of many databases the location names. */
    Storage openStorage(String location);
}
