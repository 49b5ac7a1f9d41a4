package io.mycroft.processors;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * The newest content claims in memory: which claiming record (its number in the claim log) claimed a content, by the
 * content's 64-bit {@link #fingerprint}. Open addressing with linear probing over one {@code long[]}; a slot packs the
 * record's offset from {@link #base} in its low {@link #offsetBits} bits (enough for as many records as the table can
 * hold claims) and the fingerprint's other, high bits above them (its tag; never 0, which marks an empty slot). A tag
 * match only names a candidate record: the caller confirms it against that record's entry in the claim log, so lookups
 * are exact however fingerprints collide. The tag's low bits are its first position, so the bits that tell claims
 * with the same first position apart are 64 − offsetBits − log₂(slots): 18 in a full 64 MB table, where a new content's
 * lookup then reads the log about once in 500,000. (With 32-bit tags there were 9: about one lookup in 1,000 read a
 * 2.4 KB entry, 1.5 % of the stream thread's CPU in the FEATURE benchmark; load-tests/reports/streams.md.)
 *
 * <p>8 bytes a slot, at most 3/4 of the slots used: about 11 bytes a claim. The table grows by doubling up to
 * {@code maxBytes}; when it cannot take a record's claims the caller writes them to the on-disk index and {@link
 * #clear clears} it (a claim is one RocksDB entry only then: 50 memtable inserts a 50-sample record took 45 % of the
 * stream thread, load-tests/reports/streams.md).
 */
final class ClaimTable {
    private static final int FIRST_SLOTS = 1 << 12;

    private final int maxSlots;
    /** The bits of a slot that hold the record's offset: as many as a count of the claims the full table holds takes. */
    private final int offsetBits;
    private final long maxOffset;
    private long[] slots;
    private int size;
    /** Records up to this number are not in the table. */
    private long base;

    /** A table of at most {@code maxBytes}; below 32 bytes it holds nothing (every claim goes to the store). */
    ClaimTable(long maxBytes) {
        this.maxSlots = (int) Long.highestOneBit(Math.max(2, Math.min(maxBytes / Long.BYTES, 1 << 30)));
        this.offsetBits = Math.max(1, Integer.SIZE - Integer.numberOfLeadingZeros(capacity(maxSlots)));
        this.maxOffset = (1L << offsetBits) - 1;
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
        return (long) size + claims <= capacity(maxSlots) && record - base <= maxOffset;
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
        insert(tag(fingerprint) << offsetBits | (record - base));
        size++;
    }

    /**
     * Gives {@code candidate} every record that may have claimed the content of {@code fingerprint}, oldest first, until
     * it returns true; returns that record, or 0 for none.
     */
    long find(long fingerprint, LongPredicate candidate) {
        long tag = tag(fingerprint);
        int mask = slots.length - 1;
        for (int i = (int) tag & mask; slots[i] != 0; i = (i + 1) & mask) {
            if (slots[i] >>> offsetBits == tag) {
                long record = base + (slots[i] & maxOffset);
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
            may[i] = slots[(int) tag(fingerprints[i]) & mask] != 0;
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
        int i = (int) (slot >>> offsetBits) & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = slot;
    }

    private static int capacity(int slots) {
        return slots / 4 * 3;
    }

    /** The slot's tag, whose low bits are also its first position (so a grown table can re-place slots). */
    private long tag(long fingerprint) {
        long tag = fingerprint >>> offsetBits;
        return tag == 0 ? 1 : tag;
    }
}
