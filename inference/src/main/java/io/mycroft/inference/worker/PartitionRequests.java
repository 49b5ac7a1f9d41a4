package io.mycroft.inference.worker;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one owner-samples partition has done for each request, committed as the metadata of the partition's offset in
 * the same transaction as the vectors — so it is exactly as durable as the output it describes.
 *
 * <p>For a request R the entry is either {@code REJECTED} (its model or hard set is unusable) or a backfill range:
 * records below {@code end} (the live position when R arrived) are R's backfill, read from the log start up to
 * {@code end}, {@code next} being the first not yet done; records from {@code end} on are covered by the live stream.
 * A partition on which R has an entry has therefore seen R's arrival; on owner-samples' partition 0 this also means R's hard-set
 * vectors (or its dead letter) were published. Encoded as {@code v1;R=end:next;R2=x}, ids URL-encoded; the broker
 * keeps up to offset.metadata.max.bytes (4 KB by default, ≈ 100 requests per partition).
 */
final class PartitionRequests {
    private static final String VERSION = "v1";
    private static final String REJECTED = "x";
    private static final long REJECTED_END = -1;

    /** Backfill range of one request on one partition, or rejected ({@code end = -1}). */
    record Entry(long end, long next) {
        boolean rejected() {
            return end == REJECTED_END;
        }

        boolean backfilling() {
            return !rejected() && next < end;
        }
    }

    private final TreeMap<String, Entry> entries = new TreeMap<>();

    Map<String, Entry> entries() {
        return entries;
    }

    Entry get(String requestId) {
        return entries.get(requestId);
    }

    void arrive(String requestId, long end) {
        entries.put(requestId, new Entry(end, 0));
    }

    void reject(String requestId) {
        entries.put(requestId, new Entry(REJECTED_END, REJECTED_END));
    }

    void advance(String requestId, long next) {
        Entry e = entries.get(requestId);
        entries.put(requestId, new Entry(e.end(), Math.min(next, e.end())));
    }

    void forget(String requestId) {
        entries.remove(requestId);
    }

    String encode() {
        StringBuilder s = new StringBuilder(VERSION);
        entries.forEach((id, e) -> s.append(';').append(URLEncoder.encode(id, StandardCharsets.UTF_8)).append('=')
                .append(e.rejected() ? REJECTED : e.end() + ":" + e.next()));
        return s.toString();
    }

    /** Decodes committed metadata; null or empty (a partition never committed by a worker) is no entries. */
    static PartitionRequests decode(String metadata) {
        PartitionRequests p = new PartitionRequests();
        if (metadata == null || metadata.isEmpty()) {
            return p;
        }
        String[] parts = metadata.split(";");
        if (!VERSION.equals(parts[0])) {
            throw new IllegalStateException("offset metadata '" + metadata + "' was not written by an inference worker " + VERSION);
        }
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].lastIndexOf('=');
            String id = URLDecoder.decode(parts[i].substring(0, eq), StandardCharsets.UTF_8);
            String value = parts[i].substring(eq + 1);
            if (REJECTED.equals(value)) {
                p.reject(id);
            } else {
                int colon = value.indexOf(':');
                p.entries.put(id, new Entry(Long.parseLong(value.substring(0, colon)), Long.parseLong(value.substring(colon + 1))));
            }
        }
        return p;
    }
}
