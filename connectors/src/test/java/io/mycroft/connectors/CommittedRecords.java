package io.mycroft.connectors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    List<V> readAvailable() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(100))) {
                values.add(r.value());
            }
        }
        return List.copyOf(values);
    }

    /** Polls until at least {@code count} values or the timeout; returns all read so far. */
    List<V> readAtLeast(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (values.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(100))) {
                values.add(r.value());
            }
        }
        return List.copyOf(values);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
