package io.mycroft.processors;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClaimTableTest {
    /**
     * 200,000 claims grow the table from its first 4,096 slots; each is found under its record (checked against a map),
     * and a fingerprint never added finds nothing.
     */
    @Test
    void everyClaimIsFoundUnderItsRecordAsTheTableGrows() {
        ClaimTable table = new ClaimTable(64L * 1024 * 1024);
        Random random = new Random(7);
        Map<Long, Long> recordOf = new HashMap<>();
        for (long record = 1; recordOf.size() < 200_000; record++) {
            for (int i = 0; i < 50; i++) {
                long fingerprint = random.nextLong();
                table.add(fingerprint, record);
                recordOf.put(fingerprint, record);
            }
        }
        assertThat(table.size()).isEqualTo(recordOf.size());
        recordOf.forEach((fingerprint, record) ->
                assertThat(table.find(fingerprint, r -> r == record)).isEqualTo(record));
        int strays = 0;
        for (int i = 0; i < 100_000; i++) {
            strays += table.find(random.nextLong(), r -> true) != 0 ? 1 : 0;
        }
        assertThat(strays).as("fingerprints never added whose tag matches").isLessThan(5);
    }

    /**
     * A table grown to its bound (1,048,576 slots, 700,000 claims) tells a content it does not hold from those it holds
     * by 24 bits beyond the first position: a million fingerprints never added name at most a few records to confirm.
     * With 32-bit tags (12 bits beyond the position here) they named 160.
     */
    @Test
    void aFullTableRarelyNamesARecordForAContentItDoesNotHold() {
        ClaimTable table = new ClaimTable(8L * 1024 * 1024);
        Random random = new Random(13);
        for (int i = 0; i < 700_000; i++) {
            table.add(random.nextLong(), 1 + i / 50);
        }
        int[] named = new int[1];
        for (int i = 0; i < 1_000_000; i++) {
            table.find(random.nextLong(), r -> ++named[0] < 0);
        }
        assertThat(named[0]).isLessThan(3);
    }

    /**
     * mayHold is false only where find finds nothing: for every claim added it is true, and for fingerprints never
     * added it is false about as often as a slot is empty (here about a quarter of the time).
     */
    @Test
    void mayHoldIsFalseOnlyWhereFindFindsNothing() {
        ClaimTable table = new ClaimTable(64L * 1024 * 1024);
        Random random = new Random(11);
        long[] added = new long[3_000]; // in the first 4,096 slots: 73 % full
        for (int i = 0; i < added.length; i++) {
            added[i] = random.nextLong();
            table.add(added[i], 1 + i / 50);
        }
        boolean[] mayHoldAdded = table.mayHold(added);
        for (boolean may : mayHoldAdded) {
            assertThat(may).isTrue();
        }
        long[] others = random.longs(10_000).toArray();
        boolean[] mayHoldOthers = table.mayHold(others);
        int ruledOut = 0;
        for (int i = 0; i < others.length; i++) {
            if (!mayHoldOthers[i]) {
                assertThat(table.find(others[i], r -> true)).isZero();
                ruledOut++;
            }
        }
        assertThat(ruledOut).isBetween(1_500, 4_500);
    }

    /** Claims whose tags collide are all offered, oldest first, until the caller confirms one. */
    @Test
    void collidingTagsAreEachOfferedToTheCaller() {
        ClaimTable table = new ClaimTable(1024);
        long tag = 0x1234_5678L << 32;
        table.add(tag | 1, 1);
        table.add(tag | 2, 2);
        table.add(tag | 3, 3);
        List<Long> offered = new ArrayList<>();
        assertThat(table.find(tag | 9, r -> {
            offered.add(r);
            return r == 2;
        })).isEqualTo(2);
        assertThat(offered).containsExactly(1L, 2L);
        assertThat(table.find(tag, r -> false)).isZero();
    }

    /** At most 3/4 of the slots hold claims; clear empties the table and moves its base past the written records. */
    @Test
    void theBoundIsThreeQuartersOfTheSlotsAndClearMovesTheBase() {
        ClaimTable table = new ClaimTable(8 * 8);
        for (int i = 1; i <= 6; i++) {
            assertThat(table.fits(1, 1)).isTrue();
            table.add(i * 0x9E3779B97F4A7C15L, 1);
        }
        assertThat(table.fits(1, 1)).isFalse();
        assertThatThrownBy(() -> table.add(42, 1)).isInstanceOf(IllegalStateException.class);
        table.clear(10);
        assertThat(table.size()).isZero();
        assertThat(table.find(0x9E3779B97F4A7C15L, r -> true)).isZero();
        table.add(0x9E3779B97F4A7C15L, 11);
        assertThat(table.find(0x9E3779B97F4A7C15L, r -> true)).isEqualTo(11);
        assertThat(new ClaimTable(0).fits(1, 1)).as("a table of no bytes holds nothing").isFalse();
    }

    /** The fingerprint depends on every byte of the digest, on its length and on the request. */
    @Test
    void theFingerprintCoversEveryByteTheLengthAndTheRequest() {
        byte[] digest = new byte[32];
        new Random(3).nextBytes(digest);
        long base = ClaimTable.fingerprint(5, ByteBuffer.wrap(digest));
        for (int i = 0; i < digest.length; i++) {
            byte[] other = digest.clone();
            other[i] ^= 1;
            assertThat(ClaimTable.fingerprint(5, ByteBuffer.wrap(other))).as("byte %d", i).isNotEqualTo(base);
        }
        assertThat(ClaimTable.fingerprint(5, ByteBuffer.wrap(digest, 0, 31))).isNotEqualTo(base);
        assertThat(ClaimTable.fingerprint(6, ByteBuffer.wrap(digest))).isNotEqualTo(base);
        ByteBuffer read = ByteBuffer.wrap(digest);
        ClaimTable.fingerprint(5, read);
        assertThat(read.remaining()).as("the digest is not consumed").isEqualTo(32);
    }
}
