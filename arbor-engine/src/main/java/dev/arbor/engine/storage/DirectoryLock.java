package dev.arbor.engine.storage;

import dev.arbor.core.error.ArborException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One storage per data directory, across processes and within one: an OS lock on
 * {@code <dir>/arbor.lock}, held while the storage is open. Without it a CLI command run beside
 * {@code arbor serve} would open the databases the server has not opened yet and write under it, and
 * fail with RocksDB's raw lock error on the ones it has. The OS drops the lock when the process dies,
 * so a killed server leaves nothing to clean up.
 */
final class DirectoryLock {
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DirectoryLock acquire(Path dir) {
        Path file = dir.resolve("arbor.lock");
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ArborException.Internal("cannot open " + file + ": " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            close(channel);
            throw new ArborException.Internal("cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            close(channel);
            throw new ArborException.PreconditionFailed("storage_in_use", "The data directory " + dir.toAbsolutePath()
                    + " is in use by another Arbor process or storage (is `arbor serve` running on it?). "
                    + "Stop it, or use another directory (--data).");
        }
        return new DirectoryLock(channel, lock);
    }

    void release() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel below releases it too.
        }
        close(channel);
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing was written through it.
        }
    }
}
