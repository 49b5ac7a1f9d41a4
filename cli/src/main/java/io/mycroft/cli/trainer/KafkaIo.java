package io.mycroft.cli.trainer;

import io.mycroft.inference.cli.ConnectionOptions;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/** The model trainer commands' Kafka access: publish one record, scan a topic to its end. */
final class KafkaIo implements AutoCloseable {
    private static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;
    private final ConnectionOptions connection;
    private final Topics topics;
    private final Map<String, Object> login;
    private KafkaProducer<String, byte[]> producer;

    KafkaIo(ConnectionOptions connection) {
        this(connection, Map.of());
    }

    /** Publishing with {@code login}'s Kafka client settings (a trainer's, see {@link TrainerLogin}) over the defaults. */
    KafkaIo(ConnectionOptions connection, Map<String, Object> login) {
        this.connection = connection;
        this.login = login;
        Map<String, Object> serdes = new HashMap<>(connection.clientSettings());
        serdes.put(SerdeConfig.REGISTRY_URL, connection.schemaRegistryUrl());
        serdes.put(Topics.PREFIX, connection.topicPrefix());
        this.topics = Topics.from(serdes);
    }

    /** The bootstrap servers and the login of {@code --client-config}. */
    private Map<String, Object> client() {
        Map<String, Object> config = new HashMap<>(connection.clientSettings());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
        return config;
    }

    Topics topics() {
        return topics;
    }

    /** Sends and waits for the broker's acknowledgement. */
    <V> void publish(Topic<String, V> topic, String key, V value) throws ExecutionException, InterruptedException {
        if (producer == null) {
            Map<String, Object> config = client();
            config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
            config.putAll(login);
            producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        }
        producer.send(new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value))).get();
    }

    /**
     * Every committed record of {@code topic} up to its current end whose key is {@code key} (any key if null), in
     * partition then offset order (a tombstone as null); none if there is no such topic. Records that do not decode are
     * skipped; returns how many were.
     */
    <V> int scan(Topic<String, V> topic, String key, Consumer<V> onRecord) {
        int skipped = 0;
        Map<String, Object> config = client();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // scanning a missing topic must not create it
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_REQUEST_BYTES);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if ((key != null && !key.equals(r.key())) || r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;
                    }
                    try {
                        onRecord.accept(r.value() == null ? null : topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    } catch (SerializationException e) {
                        skipped++; // the worker dead-letters these; evaluation uses what decodes
                    }
                }
            }
        }
        return skipped;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
