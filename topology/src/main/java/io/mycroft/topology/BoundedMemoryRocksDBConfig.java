package io.mycroft.topology;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

import java.util.Map;

/**
 * Bounds the memory of all RocksDB stores of one instance, as the Kafka Streams memory-management guide does: one LRU
 * block cache shared by every store, memtables charged against it through a WriteBufferManager, and index and filter
 * blocks cached (and counted) in it too. The total is the setting {@value #MEMORY_BYTES}.
 */
public final class BoundedMemoryRocksDBConfig implements RocksDBConfigSetter {
    /** Bytes of the block cache and memtables shared by all stores of the instance (Streams hands the setter every setting). */
    public static final String MEMORY_BYTES = "mycroft.rocksdb.memory.bytes";
    static final long DEFAULT_MEMORY_BYTES = 256L * 1024 * 1024;
    private static final double MEMTABLE_SHARE = 0.25;
    private static final double HIGH_PRIORITY_SHARE = 0.1;
    private static Cache cache;
    private static WriteBufferManager writeBufferManager;

    private static synchronized void allocate(long totalBytes) {
        if (cache == null) {
            cache = new LRUCache(totalBytes, -1, false, HIGH_PRIORITY_SHARE);
            writeBufferManager = new WriteBufferManager((long) (totalBytes * MEMTABLE_SHARE), cache);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object total = configs.get(MEMORY_BYTES);
        allocate(total == null ? DEFAULT_MEMORY_BYTES : Long.parseLong(total.toString()));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBufferManager);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and write-buffer manager are shared by every store of the JVM: closing one store must not free them.
    }
}
