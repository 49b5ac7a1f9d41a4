package io.mycroft.inference.worker;

import io.mycroft.schemas.Topic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The current value of every key of a compacted topic (hardset-requests, models), read from the beginning by a
 * group-less consumer and kept up to date with non-blocking polls. A tombstone removes the key.
 *
 * <p>A value that does not decode, or that {@code check} refuses, makes its key {@link #invalid}: the key has no usable
 * value (a compacted topic keeps only the latest value of a key), and the record is kept whole, with its reason, for
 * the owner of the view to dead-letter.
 */
final class CompactedView<V> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompactedView.class);
    private final Topic<String, V> topic;
    private final Consumer<byte[], byte[]> consumer;
    private final Map<String, V> values = new LinkedHashMap<>();
    private final Map<String, ConsumerRecord<byte[], byte[]>> records = new LinkedHashMap<>();
    private final Map<String, Invalid> invalid = new LinkedHashMap<>();
    private final Listener<V> listener;
    private final BiFunction<String, V, String> check;

    /** Told of every value read (not of tombstones), e.g. to keep all versions of a model. */
    interface Listener<V> {
        void onValue(String key, V value);
    }

    /** The latest record of a key that has no usable value, and why. */
    record Invalid(ConsumerRecord<byte[], byte[]> record, String reason, Exception cause) {
    }

    /** A view reading with {@code consumer}; {@code check} names what makes a decoded (key, value) unusable, or returns null. */
    CompactedView(Topic<String, V> topic, Consumer<byte[], byte[]> consumer, Listener<V> listener, BiFunction<String, V, String> check) {
        this.topic = topic;
        this.listener = listener;
        this.check = check;
        this.consumer = consumer;
        List<PartitionInfo> partitions = consumer.partitionsFor(topic.name());
        List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(all);
        consumer.seekToBeginning(all);
    }

    /** Reads up to the end offsets as of now: after it the view holds everything published before the call. */
    void catchUp() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            poll(Duration.ofMillis(200));
        }
    }

    /** Applies whatever has arrived, waiting at most {@code timeout}. */
    void poll(Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            String key = r.key() == null ? null : topic.keySerde().deserializer().deserialize(topic.name(), r.key());
            if (key == null) {
                continue; // a compacted topic refuses records without a key
            }
            if (r.value() == null) {
                values.remove(key);
                records.remove(key);
                invalid.remove(key);
                continue;
            }
            V value;
            try {
                value = topic.valueSerde().deserializer().deserialize(topic.name(), r.value());
            } catch (SerializationException e) {
                markInvalid(key, r, e.getMessage(), e);
                continue;
            }
            String problem = check.apply(key, value);
            if (problem != null) {
                markInvalid(key, r, problem, null);
                continue;
            }
            invalid.remove(key);
            values.put(key, value);
            records.put(key, r);
            listener.onValue(key, value);
        }
    }

    private void markInvalid(String key, ConsumerRecord<byte[], byte[]> r, String reason, Exception cause) {
        values.remove(key);
        records.remove(key);
        LOG.warn("unusable record {}-{}@{} (key {}): {}", r.topic(), r.partition(), r.offset(), key, reason);
        invalid.put(key, new Invalid(r, reason, cause));
    }

    /** A snapshot of the current values, in first-arrival order. */
    Map<String, V> values() {
        return new LinkedHashMap<>(values);
    }

    V get(String key) {
        return values.get(key);
    }

    /** The record {@link #get} of {@code key} was decoded from, or null. */
    ConsumerRecord<byte[], byte[]> record(String key) {
        return records.get(key);
    }

    /** The keys whose latest record is unusable, in order of arrival. */
    Map<String, Invalid> invalid() {
        return new LinkedHashMap<>(invalid);
    }

    /** Whether {@code key} has a latest record, usable or not (it has not been deleted). */
    boolean contains(String key) {
        return values.containsKey(key) || invalid.containsKey(key);
    }

    @Override
    public void close() {
        consumer.close();
    }

    static <V> Listener<V> ignore() {
        return (key, value) -> { };
    }
}
