package io.mycroft.processors;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;

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
     * FNV-1a over the key's chars, then SplitMix64's finaliser: 64 well-mixed bits in one pass over the chars (Guava's
     * Murmur3 took twice the filter's own time, copying each char through a buffer). Two keys with one hash only make
     * one a false positive of the other.
     */
    private static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h = (h ^ key.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
