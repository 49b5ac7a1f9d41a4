package io.mycroft.inference.worker;

import io.mycroft.schemas.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The current value of every key of a compacted topic (hardset-requests, models), read from the beginning by a
 * group-less consumer and kept up to date with non-blocking polls. A tombstone removes the key.
 */
final class CompactedView<V> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompactedView.class);
    private final Topic<String, V> topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, V> values = new LinkedHashMap<>();
    private final Listener<V> listener;

    /** Told of every value read (not of tombstones), e.g. to keep all versions of a model. */
    interface Listener<V> {
        void onValue(String key, V value);
    }

    CompactedView(Topic<String, V> topic, Map<String, Object> consumerConfig, Listener<V> listener) {
        this.topic = topic;
        this.listener = listener;
        this.consumer = new KafkaConsumer<>(consumerConfig);
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
                continue;
            }
            if (r.value() == null) {
                values.remove(key);
                continue;
            }
            try {
                V value = topic.valueSerde().deserializer().deserialize(topic.name(), r.value());
                values.put(key, value);
                listener.onValue(key, value);
            } catch (SerializationException | IllegalArgumentException e) {
                LOG.warn("skipping undecodable record {}-{}@{} (key {}): {}", r.topic(), r.partition(), r.offset(), key, e.getMessage());
            }
        }
    }

    /** A snapshot of the current values, in first-arrival order. */
    Map<String, V> values() {
        return new LinkedHashMap<>(values);
    }

    V get(String key) {
        return values.get(key);
    }

    @Override
    public void close() {
        consumer.close();
    }

    static <V> Listener<V> ignore() {
        return (key, value) -> { };
    }
}
