package io.mycroft.connectors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic as a read_committed consumer sees it: aborted and open transactions are invisible. */
final class CommittedRecords<V> implements AutoCloseable {
    private final KafkaConsumer<String, V> consumer;
    private final List<V> values = new ArrayList<>();

    CommittedRecords(String bootstrapServers, String topic, Deserializer<V> values) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), values);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Everything committed so far: polls up to the last stable offset of every partition. */
    private List<V> readAvailable() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(100))) {
                values.add(r.value());
            }
        }
        return List.copyOf(values);
    }

    /** Polls until at least {@code count} values match (or the timeout); returns the matching ones read so far. */
    List<V> readUntil(Predicate<V> filter, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (matching(filter).size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(100))) {
                values.add(r.value());
            }
        }
        return matching(filter);
    }

    /** Everything committed so far that matches. */
    List<V> readAvailable(Predicate<V> filter) {
        readAvailable();
        return matching(filter);
    }

    private List<V> matching(Predicate<V> filter) {
        return values.stream().filter(filter).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
