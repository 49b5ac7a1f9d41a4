package io.mycroft.inference.worker;

import io.mycroft.schemas.Topic;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.StackSecurity.Principal;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The Kafka clients the worker integration tests share on the real local stack: a producer of Avro values (Confluent
 * wire format, through the topic's serde) and read_committed readers — a worker's output counts once its transaction
 * has committed, and aborted batches must not be counted.
 */
final class StackClients {
    /** Room for a model artifact (inline up to 8 MB) and for large SampleVectors batches. */
    private static final int MAX_BYTES = 10 * 1024 * 1024;

    private StackClients() {
    }

    /** A producer as the operator (on a secure stack, logged in as the admin). */
    static KafkaProducer<String, byte[]> producer(StackProperties stack) {
        Map<String, Object> config = new HashMap<>(stack.clientConfig(Principal.ADMIN));
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_BYTES);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    static <V> void send(KafkaProducer<String, byte[]> producer, Topic<String, V> topic, String key, V value) {
        producer.send(new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    /** A consumer of committed records only, in a group of its own, from the earliest offsets (as the operator). */
    static KafkaConsumer<String, byte[]> committedReader(StackProperties stack) {
        Map<String, Object> config = new HashMap<>(stack.clientConfig(Principal.ADMIN));
        config.putAll(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_BYTES));
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    static <V> V value(Topic<String, V> topic, ConsumerRecord<String, byte[]> record) {
        return topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
    }

    /** The committed, non-tombstone values of {@code topic} whose record {@code mine} accepts, up to its current end. */
    static <V> List<V> readAll(StackProperties stack, Topic<String, V> topic, Predicate<ConsumerRecord<String, byte[]>> mine) {
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = committedReader(stack)) {
            List<TopicPartition> parts = c.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() != null && mine.test(r)) {
                        out.add(value(topic, r));
                    }
                }
            }
        }
        return out;
    }
}
