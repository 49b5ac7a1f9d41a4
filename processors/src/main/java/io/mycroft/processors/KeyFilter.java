package io.mycroft.processors;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Which keys a store may hold, kept in memory beside it: {@link #mightHold} is false only for a key never {@link #add
 * added}, so a lookup it answers false needs no read of the store. A false positive costs only the read it would have
 * cost anyway.
 *
 * <p>A chain of split-block Bloom filters (Putze, Sanders and Singler, "Cache-, hash- and space-efficient Bloom
 * filters", 2007; the layout of Parquet's and Impala's filters), each twice the size of the one before, so it grows
 * with the store. A key's 64-bit hash ({@link #hash}, computed once per key for every filter) picks one block of
 * {@value #WORDS} words with its high 32 bits, and in each word one bit with its low 32 bits times that word's salt: a
 * key touches one cache-line-sized block, where a classic filter's k probes miss the cache k times. A lookup and an add
 * take 22 ns a key against Guava's {@code BloomFilter} 196 ns (its atomic bit sets were 8 % of the FEATURE stream
 * thread; load-tests ClaimFilterBenchmark). At {@value #BITS_PER_KEY} bits a key, a full filter's false-positive rate
 * is about 0.1 % (KeyFilterTest).
 */
final class KeyFilter {
    private static final int WORDS = 8;
    private static final int BITS_PER_KEY = 16;
    /** Keys of the first filter: 2 MB; a lookup asks every filter, so the chain starts long. */
    private static final long FIRST_CAPACITY = 1 << 20;
    /** Parquet's split-block salts: odd constants, one per word. */
    private static final int[] SALT = {0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31};
    private static final HashFunction KEY_HASH = Hashing.murmur3_128();

    /** Each filter: its blocks of {@value #WORDS} words, one after another. */
    private final List<long[]> filters = new ArrayList<>();
    private final long firstCapacity;
    private long lastCapacity;
    /** Keys the last filter may still take at its rate. */
    private long room;

    KeyFilter() {
        this(FIRST_CAPACITY);
    }

    /** A chain whose first filter takes {@code firstCapacity} keys. */
    KeyFilter(long firstCapacity) {
        this.firstCapacity = firstCapacity;
    }

    /**
     * Murmur3 over the key's UTF-8 bytes in one bulk pass (hashing its chars one by one, {@code hashUnencodedChars}, was
     * half of the filter's time).
     */
    static long hash(String key) {
        return KEY_HASH.hashBytes(key.getBytes(StandardCharsets.UTF_8)).asLong();
    }

    /** Adds the key whose {@link #hash} is {@code hash}. */
    void add(long hash) {
        if (room == 0) {
            lastCapacity = lastCapacity == 0 ? firstCapacity : 2 * lastCapacity;
            room = lastCapacity;
            long blocks = Math.max(1, lastCapacity * BITS_PER_KEY / (64 * WORDS));
            filters.add(new long[Math.toIntExact(blocks * WORDS)]);
        }
        long[] words = filters.get(filters.size() - 1);
        int first = firstWord(words, hash);
        for (int w = 0; w < WORDS; w++) {
            words[first + w] |= bit(hash, w);
        }
        room--;
    }

    /** Whether the key whose {@link #hash} is {@code hash} may have been added. */
    boolean mightHold(long hash) {
        for (long[] words : filters) {
            if (holds(words, hash)) {
                return true;
            }
        }
        return false;
    }

    private static boolean holds(long[] words, long hash) {
        int first = firstWord(words, hash);
        for (int w = 0; w < WORDS; w++) {
            long bit = bit(hash, w);
            if ((words[first + w] & bit) != bit) {
                return false;
            }
        }
        return true;
    }

    /** The first word of the hash's block: its high 32 bits scaled to the number of blocks (Lemire's multiply-shift). */
    private static int firstWord(long[] words, long hash) {
        long blocks = words.length / WORDS;
        return (int) (((hash >>> 32) * blocks) >>> 32) * WORDS;
    }

    /** Word {@code w}'s bit: the top 6 bits of the low 32 bits of the hash times the word's salt. */
    private static long bit(long hash, int w) {
        return 1L << (((int) hash * SALT[w]) >>> 26);
    }
}
