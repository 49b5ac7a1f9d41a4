package io.mycroft.inference.worker;

import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Every setting of an inference worker, and the Kafka client configs derived from them, in one place.
 *
 * @param workerId   stable name of this worker ("pod"): its transactional.id and static group member id, so a
 *                   restarted worker fences its crashed predecessor at once instead of waiting for timeouts
 * @param batchSize  owner samples per forward pass (and per poll); 0 = the device's default
 * @param linger     longest wait for a batch to fill once its first record is there
 * @param device     cpu, gpu or auto
 * @param clientSecurity the login every Kafka client of the worker adds (SASL settings on a secure stack; empty for none)
 */
public record WorkerConfig(String bootstrapServers, String schemaRegistryUrl, String topicPrefix, String groupId,
                           String workerId, int batchSize, Duration linger, String device, Map<String, String> clientSecurity) {
    /** Most samples in one SampleVectors record: ~1.5 MB with 1,290-dim gradients, well under the 10 MB topic limit. */
    public static final int MAX_SAMPLES_PER_RECORD = 256;
    /** Producer requests up to the topics' max.message.bytes (hard sets and big batches exceed the 1 MB default). */
    private static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;

    /** Owners' topics created while the worker runs are subscribed (by pattern) within this long. */
    private static final int TOPIC_DISCOVERY_MS = 30_000;

    /** A worker whose clients do not log in. */
    public WorkerConfig(String bootstrapServers, String schemaRegistryUrl, String topicPrefix, String groupId,
                        String workerId, int batchSize, Duration linger, String device) {
        this(bootstrapServers, schemaRegistryUrl, topicPrefix, groupId, workerId, batchSize, linger, device, Map.of());
    }

    public WorkerConfig {
        clientSecurity = Map.copyOf(clientSecurity);
        if (batchSize < 0) {
            throw new IllegalArgumentException("--batch-size must be ≥ 0 (0 = the device's default), was " + batchSize);
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("--linger-ms must be ≥ 0, was " + linger.toMillis());
        }
    }

    /** Client settings every client of the worker shares (bootstrap, registry, prefix). */
    Map<String, Object> common() {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(SerdeConfig.REGISTRY_URL, schemaRegistryUrl);
        c.put(Topics.PREFIX, topicPrefix);
        c.putAll(clientSecurity);
        return c;
    }

    /** The group consumer of owner-samples and the owners' own topics: offsets only move inside the worker's transactions. */
    Map<String, Object> liveConsumer(int batch) {
        Map<String, Object> c = rawConsumer(batch);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, workerId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A fresh group starts at the beginning: every retained sample is seen once, requests or not.
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, TOPIC_DISCOVERY_MS);
        return c;
    }

    /** A group-less consumer (backfill reads, compacted views). */
    Map<String, Object> rawConsumer(int batch) {
        Map<String, Object> c = common();
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        // Only committed input: samples of an aborted connector transaction never become vectors.
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batch);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_REQUEST_BYTES);
        return c;
    }

    Map<String, Object> producer() {
        Map<String, Object> c = common();
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "mycroft-inference-" + workerId);
        c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // A crashed worker that is not restarted holds back read_committed consumers at most this long.
        c.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        return c;
    }
}
