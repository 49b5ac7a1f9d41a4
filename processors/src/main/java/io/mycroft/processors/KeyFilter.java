package io.mycroft.processors;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Which keys a store may hold, kept in memory beside it: {@link #mightHold} is false only for a key never {@link #add
 * added}, so a lookup it answers false needs no read of the store. A chain of Guava Bloom filters, each twice the size
 * of the one before, so it grows with the store; each filter's false-positive rate is at most {@value #FALSE_POSITIVES},
 * and a false positive costs only the read it would have cost anyway.
 */
final class KeyFilter {
    private static final double FALSE_POSITIVES = 0.01;
    private static final long FIRST_CAPACITY = 1 << 16;

    private final List<BloomFilter<CharSequence>> filters = new ArrayList<>();
    private long lastSize;
    /** Keys the last filter may still take at its rate. */
    private long room;

    void add(String key) {
        if (room == 0) {
            lastSize = lastSize == 0 ? FIRST_CAPACITY : 2 * lastSize;
            room = lastSize;
            filters.add(BloomFilter.create(Funnels.stringFunnel(StandardCharsets.UTF_8), lastSize, FALSE_POSITIVES));
        }
        filters.get(filters.size() - 1).put(key);
        room--;
    }

    boolean mightHold(String key) {
        for (BloomFilter<CharSequence> filter : filters) {
            if (filter.mightContain(key)) {
                return true;
            }
        }
        return false;
    }
}
