package io.mycroft.processors;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import io.micrometer.core.instrument.Counter;
import io.mycroft.schemas.Keys;
import mycroft.schemas.SampleVector;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The content claims of a task's requests ({@link ContentClaims}): who claimed each content first.
 *
 * <p>The claims are kept once, in the changelogged claim log: one entry per claiming record, {@code request||n} → the
 * claims the task's n-th claiming record made ({@link ContentClaims#encodeRecordClaims}). The number of claiming
 * records is the highest n in the log; a cancel, which removes a request's records, writes it under
 * {@value #CLAIM_RECORDS}, so that no number is given twice. Finding a content's claim needs an index from content to
 * record. The newest claims are indexed in memory ({@link ClaimTable}, at most {@code tableBytes}); when the table is
 * full, the claims it indexes are written to the index store ({@code request|hex(digest)} → n, not changelogged) with
 * the number of records it then covers, and the table is emptied (reading back only the records it indexes). A
 * {@link KeyFilter} over the store's claims spares new content a read of the store. (A filter over every claim, in
 * front of the table, measured no faster: new content then missed the cache twice, in the filter and in the table's
 * insert, where the table's probe brings the slot the insert writes.) Both indexes name a record and the claim is read
 * from the log, so an index entry whose record is gone (its request was cancelled) finds nothing.
 *
 * <p>After a restart, the store covers records 1..s and the log 1..n; the table is rebuilt from records s+1..n of the
 * log. Both are prefixes of the same sequence of claims (the partition's order), so a store left by an earlier stay of
 * the task still names the right records; one that covers more than the log (written before a crash, for records
 * exactly-once then aborted) is emptied and the claims indexed again.
 */
final class ClaimIndex {
    /** The key, in the claim log and the index store, of the number of claiming records each covers. */
    static final String CLAIM_RECORDS = "|records";
    private static final HashFunction REQUEST_HASH = Hashing.murmur3_128();
    private static final StringSerializer KEYS = new StringSerializer();
    private static final int WRITE_BATCH = 10_000;

    private final KeyValueStore<String, byte[]> claimLog;
    private final KeyValueStore<String, byte[]> indexStore;
    private final ClaimTable table;
    private final Counter reindexed;
    private final KeyFilter stored = new KeyFilter();
    /** The log keys of the records after {@link #storedRecords}, whose claims the table indexes, oldest first. */
    private final List<String> tableRecords = new ArrayList<>();
    /** The claiming records in the log. */
    private long records;
    /** The claiming records the index store covers. */
    private long storedRecords;
    /** The request whose id {@link #requestHash} hashes. */
    private String hashedRequest;
    private long requestHash;

    /**
     * Opens the index over the two stores, rebuilding what memory held from the log; {@code reindexed} counts the
     * openings that had claims to index again (after a restart, a rebalance or a crash).
     */
    ClaimIndex(KeyValueStore<String, byte[]> claimLog, KeyValueStore<String, byte[]> indexStore, long tableBytes, Counter reindexed) {
        this.claimLog = claimLog;
        this.indexStore = indexStore;
        this.table = new ClaimTable(tableBytes);
        this.reindexed = reindexed;
        records = Math.max(count(claimLog), lastRecord(claimLog));
        storedRecords = count(indexStore);
        if (storedRecords > records) {
            List<String> keys = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = indexStore.all()) {
                it.forEachRemaining(kv -> keys.add(kv.key));
            }
            keys.forEach(indexStore::delete);
            storedRecords = 0;
        }
        if (records > storedRecords) {
            reindexed.increment();
        }
        // Every claim the store holds is in the log too: one pass over the log fills the filter and the table.
        table.clear(storedRecords);
        boolean[] overflow = new boolean[1];
        forEachLoggedClaim((key, requestId, record, digest) -> {
            long fingerprint = fingerprint(requestId, digest);
            if (record <= storedRecords) {
                stored.add(fingerprint);
            } else {
                if (tableRecords.isEmpty() || !tableRecords.get(tableRecords.size() - 1).equals(key)) {
                    tableRecords.add(key);
                }
                overflow[0] |= !table.fits(1, record);
                if (!overflow[0]) {
                    table.add(fingerprint, record);
                }
            }
        });
        if (overflow[0]) {
            writeTable();
        }
    }

    /** The {@link ClaimTable#fingerprint} of {@code digest} in the request; the last request's hash is kept. */
    long fingerprint(String requestId, ByteBuffer digest) {
        if (!requestId.equals(hashedRequest)) {
            hashedRequest = requestId;
            requestHash = REQUEST_HASH.hashUnencodedChars(requestId).asLong();
        }
        return ClaimTable.fingerprint(requestHash, digest);
    }

    /** Who claimed {@code digest} in the request first ({@code owner|sampleId}), or null: nobody yet. */
    String firstClaim(String requestId, ByteBuffer digest) {
        return firstClaim(requestId, digest, fingerprint(requestId, digest), true);
    }

    /**
     * {@link #firstClaim} of each of {@code digests} ({@code fingerprints}: theirs), looked up together: the table's
     * first slots for all of them are read in one pass ({@link ClaimTable#mayHold}), and a content whose slot is empty
     * is not in the table; nor in the store when the store's filter has not seen it.
     */
    String[] firstClaims(String requestId, List<ByteBuffer> digests, long[] fingerprints) {
        boolean[] inTable = table.mayHold(fingerprints);
        String[] claims = new String[fingerprints.length];
        for (int i = 0; i < claims.length; i++) {
            if (inTable[i] || stored.mightHold(fingerprints[i])) {
                claims[i] = firstClaim(requestId, digests.get(i), fingerprints[i], inTable[i]);
            }
        }
        return claims;
    }

    private String firstClaim(String requestId, ByteBuffer digest, long fingerprint, boolean mayBeInTable) {
        String[] claim = new String[1];
        if (mayBeInTable && table.find(fingerprint, record -> (claim[0] = claimIn(requestId, record, digest)) != null) != 0) {
            return claim[0];
        }
        if (!stored.mightHold(fingerprint)) {
            return null;
        }
        byte[] record = indexStore.get(ContentClaims.key(requestId, digest));
        return record == null ? null : claimIn(requestId, ByteBuffer.wrap(record).getLong(), digest);
    }

    /**
     * Logs the claims of one record of {@code ownerId}: each of {@code claiming} claims its content for it
     * ({@code fingerprints}: the contents' fingerprints, in the same order).
     */
    void claim(String requestId, String ownerId, List<SampleVector> claiming, long[] fingerprints) {
        records++;
        String key = logKey(requestId, records);
        claimLog.put(key, ContentClaims.encodeRecordClaims(ownerId, claiming));
        tableRecords.add(key);
        boolean fits = table.fits(claiming.size(), records);
        if (!fits) {
            writeTable();
            return;
        }
        for (int i = 0; i < claiming.size(); i++) {
            table.add(fingerprints[i], records);
        }
    }

    /** Forgets every claim of a (cancelled) request; the number of claiming records stays as it is. */
    void forget(String requestId) {
        for (KeyValueStore<String, byte[]> store : List.of(indexStore, claimLog)) {
            List<String> keys = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = store.prefixScan(requestId + Keys.SEPARATOR, KEYS)) {
                it.forEachRemaining(kv -> keys.add(kv.key));
            }
            keys.forEach(store::delete);
        }
        claimLog.put(CLAIM_RECORDS, encodeCount(records));
    }

    /** The claim of {@code digest} in the request's record {@code record}, or null when the record has none. */
    private String claimIn(String requestId, long record, ByteBuffer digest) {
        byte[] entry = claimLog.get(logKey(requestId, record));
        return entry == null ? null : ContentClaims.claimIn(entry, digest);
    }

    /**
     * Writes the claims of the records the table indexes to the store, with the store's new count, and empties the
     * table; each record is read back from the log by its key (one read a record, not a scan of the log).
     */
    private void writeTable() {
        List<KeyValue<String, byte[]>> entries = new ArrayList<>();
        for (String key : tableRecords) {
            byte[] entry = claimLog.get(key);
            if (entry != null) { // else the request was cancelled
                String requestId = key.substring(0, key.indexOf(Keys.SEPARATOR));
                byte[] record = encodeCount(recordOf(key));
                ContentClaims.decodeDigests(entry, digest -> {
                    entries.add(KeyValue.pair(ContentClaims.key(requestId, digest), record));
                    stored.add(fingerprint(requestId, digest));
                });
            }
            if (entries.size() >= WRITE_BATCH) {
                indexStore.putAll(entries);
                entries.clear();
            }
        }
        entries.add(KeyValue.pair(CLAIM_RECORDS, encodeCount(records)));
        indexStore.putAll(entries);
        storedRecords = records;
        tableRecords.clear();
        table.clear(records);
    }

    private interface LoggedClaim {
        void accept(String key, String requestId, long record, ByteBuffer digest);
    }

    /** Gives every claim of every record in the log, record by record (in key order). */
    private void forEachLoggedClaim(LoggedClaim each) {
        try (KeyValueIterator<String, byte[]> it = claimLog.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                long record = recordOf(entry.key);
                if (record > 0) {
                    String requestId = entry.key.substring(0, entry.key.indexOf(Keys.SEPARATOR));
                    ContentClaims.decodeDigests(entry.value, digest -> each.accept(entry.key, requestId, record, digest));
                }
            }
        }
    }

    /** The highest record number in the log; 0 when it has none. */
    private static long lastRecord(KeyValueStore<String, byte[]> claimLog) {
        long last = 0;
        try (KeyValueIterator<String, byte[]> it = claimLog.all()) {
            while (it.hasNext()) {
                last = Math.max(last, recordOf(it.next().key));
            }
        }
        return last;
    }

    /** The record number of a log key {@code request||n}; 0 for the log's other keys. */
    private static long recordOf(String key) {
        int at = key.indexOf("" + Keys.SEPARATOR + Keys.SEPARATOR);
        return at > 0 ? Long.parseLong(key.substring(at + 2)) : 0;
    }

    private static String logKey(String requestId, long record) {
        return requestId + Keys.SEPARATOR + Keys.SEPARATOR + record;
    }

    private static byte[] encodeCount(long count) {
        return ByteBuffer.allocate(Long.BYTES).putLong(count).array();
    }

    private static long count(KeyValueStore<String, byte[]> store) {
        byte[] count = store.get(CLAIM_RECORDS);
        return count == null ? 0 : ByteBuffer.wrap(count).getLong();
    }
}
