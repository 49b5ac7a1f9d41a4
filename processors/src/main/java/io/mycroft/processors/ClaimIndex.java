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
import java.util.HexFormat;
import java.util.List;

/**
 * The content claims of a task's requests ({@link ContentClaims}): who claimed each content first.
 *
 * <p>The claims are kept once, in the changelogged claim log: one entry per claiming record, {@code request||n} → the
 * claims the task's n-th claiming record made ({@link ContentClaims#encodeRecordClaims}), and {@value #CLAIM_RECORDS}
 * → n. Finding a content's claim needs an index from content to record. The newest claims are indexed in memory
 * ({@link ClaimTable}, at most {@code tableBytes}); when the table is full, the claims it indexes are written to the
 * index store ({@code request|hex(digest)} → n, not changelogged) with the number of records it then covers, and the
 * table is emptied. A {@link KeyFilter} over every claimed content answers most lookups of new content alone (one
 * cache line, where the table's probe misses the cache about as often as not). Both indexes name a record; the claim is read from the log, so an index entry whose record is gone (its request was cancelled)
 * finds nothing.
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
    private final KeyFilter claimed = new KeyFilter();
    /** The claiming records in the log. */
    private long records;
    /** The claiming records the index store covers. */
    private long storedRecords;

    /** Opens the index over the two stores, rebuilding what memory held from the log. */
    ClaimIndex(KeyValueStore<String, byte[]> claimLog, KeyValueStore<String, byte[]> indexStore, long tableBytes, Counter reindexed) {
        this.claimLog = claimLog;
        this.indexStore = indexStore;
        this.table = new ClaimTable(tableBytes);
        this.reindexed = reindexed;
        records = count(claimLog);
        storedRecords = count(indexStore);
        if (storedRecords > records) {
            List<String> keys = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = indexStore.all()) {
                it.forEachRemaining(kv -> keys.add(kv.key));
            }
            keys.forEach(indexStore::delete);
            storedRecords = 0;
            reindexed.increment();
        }
        try (KeyValueIterator<String, byte[]> it = indexStore.all()) {
            it.forEachRemaining(kv -> {
                int at = kv.key.indexOf(Keys.SEPARATOR);
                if (at > 0) {
                    claimed.add(ClaimTable.fingerprint(requestHash(kv.key.substring(0, at)),
                            ByteBuffer.wrap(HexFormat.of().parseHex(kv.key, at + 1, kv.key.length()))));
                }
            });
        }
        table.clear(storedRecords);
        forEachLoggedClaim(storedRecords, (requestId, record, digest) -> {
            long fingerprint = ClaimTable.fingerprint(requestHash(requestId), digest);
            claimed.add(fingerprint);
            if (record <= storedRecords) {
                return; // written to the store when the table filled up during this loop
            }
            if (!table.fits(1, record)) {
                writeTable();
            } else {
                table.add(fingerprint, record);
            }
        });
    }

    static long requestHash(String requestId) {
        return REQUEST_HASH.hashUnencodedChars(requestId).asLong();
    }

    /** Who claimed {@code digest} in the request first ({@code owner|sampleId}), or null: nobody yet. */
    String firstClaim(String requestId, long requestHash, ByteBuffer digest) {
        long fingerprint = ClaimTable.fingerprint(requestHash, digest);
        if (!claimed.mightHold(fingerprint)) {
            return null;
        }
        String[] claim = new String[1];
        if (table.find(fingerprint, record -> (claim[0] = claimIn(requestId, record, digest)) != null) != 0) {
            return claim[0];
        }
        byte[] record = indexStore.get(ContentClaims.key(requestId, digest));
        return record == null ? null : claimIn(requestId, ByteBuffer.wrap(record).getLong(), digest);
    }

    /** Logs the claims of one record of {@code ownerId}: each of {@code claiming} claims its content for it. */
    void claim(String requestId, long requestHash, String ownerId, List<SampleVector> claiming) {
        records++;
        claimLog.putAll(List.of(KeyValue.pair(logKey(requestId, records), ContentClaims.encodeRecordClaims(ownerId, claiming)),
                KeyValue.pair(CLAIM_RECORDS, encodeCount(records))));
        boolean fits = table.fits(claiming.size(), records);
        for (SampleVector sample : claiming) {
            long fingerprint = ClaimTable.fingerprint(requestHash, sample.getContentDigest());
            claimed.add(fingerprint);
            if (fits) {
                table.add(fingerprint, records);
            }
        }
        if (!fits) {
            writeTable();
        }
    }

    /** Forgets every claim of a (cancelled) request; the numbers of claiming records stay as they are. */
    void forget(String requestId) {
        for (KeyValueStore<String, byte[]> store : List.of(indexStore, claimLog)) {
            List<String> keys = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = store.prefixScan(requestId + Keys.SEPARATOR, KEYS)) {
                it.forEachRemaining(kv -> keys.add(kv.key));
            }
            keys.forEach(store::delete);
        }
    }

    /** The claim of {@code digest} in the request's record {@code record}, or null when the record has none. */
    private String claimIn(String requestId, long record, ByteBuffer digest) {
        byte[] entry = claimLog.get(logKey(requestId, record));
        return entry == null ? null : ContentClaims.claimIn(entry, digest);
    }

    /** Writes the claims of every record the store does not cover yet to it, with its new count, and empties the table. */
    private void writeTable() {
        List<KeyValue<String, byte[]>> entries = new ArrayList<>();
        forEachLoggedClaim(storedRecords, (requestId, record, digest) -> {
            entries.add(KeyValue.pair(ContentClaims.key(requestId, digest), encodeCount(record)));
            if (entries.size() == WRITE_BATCH) {
                indexStore.putAll(entries);
                entries.clear();
            }
        });
        entries.add(KeyValue.pair(CLAIM_RECORDS, encodeCount(records)));
        indexStore.putAll(entries);
        storedRecords = records;
        table.clear(records);
    }

    private interface LoggedClaim {
        void accept(String requestId, long record, ByteBuffer digest);
    }

    /** Gives every claim of the logged records after record {@code after}, record by record. */
    private void forEachLoggedClaim(long after, LoggedClaim each) {
        String separators = "" + Keys.SEPARATOR + Keys.SEPARATOR;
        try (KeyValueIterator<String, byte[]> it = claimLog.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                int at = entry.key.indexOf(separators);
                if (at > 0) {
                    long record = Long.parseLong(entry.key.substring(at + 2));
                    if (record > after) {
                        String requestId = entry.key.substring(0, at);
                        ContentClaims.decodeDigests(entry.value, digest -> each.accept(requestId, record, digest));
                    }
                }
            }
        }
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
