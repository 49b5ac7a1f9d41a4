package io.mycroft.processors;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * The newest content claims in memory: which claiming record (its number in the claim log) claimed a content, by the
 * content's 64-bit {@link #fingerprint}. Open addressing with linear probing over one {@code long[]}; a slot packs the
 * fingerprint's high 32 bits (its tag; never 0, which marks an empty slot) and the record's offset from {@link #base}.
 * A tag match only names a candidate record: the caller confirms it against that record's entry in the claim log, so
 * lookups are exact however fingerprints collide.
 *
 * <p>8 bytes a slot, at most 3/4 of the slots used: about 11 bytes a claim. The table grows by doubling up to
 * {@code maxBytes}; when it cannot take a record's claims the caller writes them to the on-disk index and {@link
 * #clear clears} it (a claim is one RocksDB entry only then: 50 memtable inserts a 50-sample record took 45 % of the
 * stream thread, load-tests/reports/streams.md).
 */
final class ClaimTable {
    private static final int FIRST_SLOTS = 1 << 12;
    private static final long MAX_OFFSET = 0xFFFF_FFFFL;

    private final int maxSlots;
    private long[] slots;
    private int size;
    /** Records up to this number are not in the table. */
    private long base;

    /** A table of at most {@code maxBytes}; below 32 bytes it holds nothing (every claim goes to the store). */
    ClaimTable(long maxBytes) {
        this.maxSlots = (int) Long.highestOneBit(Math.max(2, Math.min(maxBytes / Long.BYTES, 1 << 30)));
        this.slots = new long[Math.min(FIRST_SLOTS, maxSlots)];
    }

    /**
     * The fingerprint of a content (its digest) within a request ({@code requestHash}, any fixed hash of its id): every
     * byte of the digest, 8 at a time, folded in with a multiply and rotate, then Murmur3's 64-bit finaliser.
     */
    static long fingerprint(long requestHash, ByteBuffer digest) {
        ByteBuffer bytes = digest.duplicate();
        long h = requestHash;
        while (bytes.remaining() >= Long.BYTES) {
            h = Long.rotateLeft((h ^ bytes.getLong()) * 0x9E3779B97F4A7C15L, 31);
        }
        while (bytes.hasRemaining()) {
            h = Long.rotateLeft((h ^ bytes.get()) * 0x9E3779B97F4A7C15L, 31);
        }
        h ^= digest.remaining();
        h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
        h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    /** Whether {@code claims} more claims of record {@code record} fit without a {@link #clear}. */
    boolean fits(int claims, long record) {
        return (long) size + claims <= capacity(maxSlots) && record - base <= MAX_OFFSET;
    }

    /** Adds a claim of {@code record}; the caller has checked that it {@link #fits}. */
    void add(long fingerprint, long record) {
        if (!fits(1, record)) {
            throw new IllegalStateException("the claim table is full");
        }
        if (size + 1 > capacity(slots.length)) {
            long[] old = slots;
            slots = new long[old.length * 2];
            for (long slot : old) {
                if (slot != 0) {
                    insert(slot);
                }
            }
        }
        insert(((long) tag(fingerprint) << 32) | (record - base));
        size++;
    }

    /**
     * Gives {@code candidate} every record that may have claimed the content of {@code fingerprint}, oldest first, until
     * it returns true; returns that record, or 0 for none.
     */
    long find(long fingerprint, LongPredicate candidate) {
        int tag = tag(fingerprint);
        int mask = slots.length - 1;
        for (int i = tag & mask; slots[i] != 0; i = (i + 1) & mask) {
            if ((int) (slots[i] >>> 32) == tag) {
                long record = base + (slots[i] & MAX_OFFSET);
                if (candidate.test(record)) {
                    return record;
                }
            }
        }
        return 0;
    }

    /**
     * For each fingerprint, whether the table may hold it: false when the slot a {@link #find} would probe first is
     * empty, so that find would give nothing. The slots are read in one pass of independent loads, whose cache misses
     * overlap (one lookup at a time waits for each), and the finds that follow read them from the cache.
     */
    boolean[] mayHold(long[] fingerprints) {
        int mask = slots.length - 1;
        boolean[] may = new boolean[fingerprints.length];
        for (int i = 0; i < fingerprints.length; i++) {
            may[i] = slots[tag(fingerprints[i]) & mask] != 0;
        }
        return may;
    }

    /** Empties the table: records up to {@code written} are held elsewhere. */
    void clear(long written) {
        Arrays.fill(slots, 0);
        size = 0;
        base = written;
    }

    int size() {
        return size;
    }

    private void insert(long slot) {
        int mask = slots.length - 1;
        int i = (int) (slot >>> 32) & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = slot;
    }

    private static int capacity(int slots) {
        return slots / 4 * 3;
    }

    /** The slot's tag, whose low bits are also its first position (so a grown table can re-place slots). */
    private static int tag(long fingerprint) {
        int tag = (int) (fingerprint >>> 32);
        return tag == 0 ? 1 : tag;
    }
}
