package dev.arbor.engine;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.api.Storage;
import dev.arbor.options.EncryptionOptions;
import dev.arbor.options.VaultKeyStorage;

import java.nio.file.Path;

/**
 * Every facet's contract over an encrypted storage: sealing values changes nothing a caller can observe. The nested
 * facets are {@link RocksContractTest}'s, inherited, each opening its storages through {@link #fresh()}.
 */
class EncryptedRocksContractTest extends RocksContractTest {
    @Override
    Storage fresh() {
        Path dir = freshDirectory();
        return Arbor.storage(dir, ArborOptions.DEFAULT.encryption(EncryptionOptions.with(
                VaultKeyStorage.keyFile(dir.resolveSibling(dir.getFileName() + ".key")))));
    }
}
