package io.mycroft.processors;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Which keys a store may hold, kept in memory beside it: {@link #mightHold} is false only for a key never {@link #add
 * added}, so a lookup it answers false needs no read of the store. A chain of Guava Bloom filters, each twice the size
 * of the one before, so it grows with the store; each filter's false-positive rate is at most {@value #FALSE_POSITIVES},
 * and a false positive costs only the read it would have cost anyway. A key is hashed once, to 64 bits
 * ({@link #hash}), for all filters.
 */
final class KeyFilter {
    private static final double FALSE_POSITIVES = 0.01;
    /** Keys of the first filter: 1.2 MB (9.6 bits a key at 1 %); a lookup asks every filter, so the chain starts long. */
    private static final long FIRST_CAPACITY = 1 << 20;
    private static final HashFunction KEY_HASH = Hashing.murmur3_128();

    private final List<BloomFilter<Long>> filters = new ArrayList<>();
    private final long firstCapacity;
    private long lastSize;
    /** Keys the last filter may still take at its rate. */
    private long room;

    KeyFilter() {
        this(FIRST_CAPACITY);
    }

    /** A chain whose first filter takes {@code firstCapacity} keys. */
    KeyFilter(long firstCapacity) {
        this.firstCapacity = firstCapacity;
    }

    void add(String key) {
        if (room == 0) {
            lastSize = lastSize == 0 ? firstCapacity : 2 * lastSize;
            room = lastSize;
            filters.add(BloomFilter.create(Funnels.longFunnel(), lastSize, FALSE_POSITIVES));
        }
        filters.get(filters.size() - 1).put(hash(key));
        room--;
    }

    boolean mightHold(String key) {
        long hash = hash(key);
        for (BloomFilter<Long> filter : filters) {
            if (filter.mightContain(hash)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Murmur3 over the key's UTF-8 bytes in one bulk pass (hashing its chars one by one, {@code hashUnencodedChars}, was
     * half of the filter's time).
     */
    private static long hash(String key) {
        return KEY_HASH.hashBytes(key.getBytes(StandardCharsets.UTF_8)).asLong();
    }
}
