package io.mycroft.inference.worker;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Backfill: the owner samples that were on a partition before a request arrived there, read by a second, group-less
 * consumer, one chunk per transaction of the worker. How far each request got on each partition is its
 * {@link PartitionRequests} entry, committed with the offsets; this class holds no state a restart would need.
 */
final class Backfill implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);
    private static final Duration POLL = Duration.ofMillis(500);

    /** Turns one partition's records into sample vectors for {@code targets} (the worker's own pass over samples). */
    interface Vectorize {
        void apply(TopicPartition p, List<ConsumerRecord<byte[], byte[]>> records, Map<String, RequestVectors> targets);
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, Long> logStart = new HashMap<>();
    private final Map<String, BackfillProgress> lastProgress = new HashMap<>();

    Backfill(KafkaConsumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    /** Reads where the logs of {@code partitions} start (retention may have deleted older offsets). */
    void readLogStart(Set<TopicPartition> partitions) {
        logStart.putAll(consumer.beginningOffsets(partitions));
    }

    void forget(TopicPartition p) {
        logStart.remove(p);
    }

    /** Whether a request served here still has samples to backfill on an owned partition. */
    boolean due(Map<TopicPartition, PartitionRequests> owned, Map<String, RequestVectors> served) {
        return owned.values().stream().anyMatch(s -> s.entries().entrySet().stream()
                .anyMatch(e -> e.getValue().backfilling() && served.containsKey(e.getKey())));
    }

    /**
     * One chunk of backfill, at most a batch over all owned partitions: on each partition, for the first request still
     * backfilling there. The consumer keeps its positions between chunks (it seeks only after an abort or a switch of
     * request), so its fetches stay pipelined.
     */
    void chunk(Map<TopicPartition, PartitionRequests> owned, Map<String, RequestVectors> served, Vectorize vectorize) {
        Map<TopicPartition, String> current = new HashMap<>();
        owned.forEach((p, state) -> state.entries().entrySet().stream()
                .filter(e -> e.getValue().backfilling() && served.containsKey(e.getKey()))
                .findFirst().ifPresent(e -> current.put(p, e.getKey())));
        if (current.isEmpty()) {
            return;
        }
        if (!consumer.assignment().equals(current.keySet())) {
            consumer.assign(current.keySet());
        }
        current.forEach((p, id) -> {
            long next = Math.max(owned.get(p).get(id).next(), logStart.get(p));
            if (consumer.position(p) != next) {
                consumer.seek(p, next);
            }
        });
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        current.forEach((p, id) -> {
            PartitionRequests state = owned.get(p);
            long end = state.get(id).end();
            List<ConsumerRecord<byte[], byte[]>> chunk = records.records(p).stream().filter(r -> r.offset() < end).toList();
            vectorize.apply(p, chunk, Map.of(id, served.get(id)));
            state.advance(id, consumer.position(p)); // past control records too; advance() caps it at end
        });
    }

    /** Sums each request's progress over {@code owned} after a commit, and logs the requests whose progress changed. */
    void logProgress(Map<TopicPartition, PartitionRequests> owned) {
        Map<String, long[]> sums = new TreeMap<>();
        owned.forEach((p, state) -> state.entries().forEach((id, e) -> {
            if (!e.rejected()) {
                long start = logStart.get(p);
                long[] s = sums.computeIfAbsent(id, k -> new long[2]);
                s[0] += Math.max(0, Math.max(e.next(), start) - start);
                s[1] += Math.max(0, e.end() - start);
            }
        }));
        lastProgress.keySet().retainAll(sums.keySet());
        sums.forEach((id, s) -> {
            BackfillProgress now = new BackfillProgress(s[0], s[1]);
            if (!now.equals(lastProgress.put(id, now))) {
                LOG.info("request {} backfill {}/{} offsets{}", id, now.backfilled(), now.total(), now.done() ? " (done)" : "");
            }
        });
    }

    /** As of the last commit, per request registered on an owned partition. */
    Map<String, BackfillProgress> progress() {
        return Map.copyOf(lastProgress);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
