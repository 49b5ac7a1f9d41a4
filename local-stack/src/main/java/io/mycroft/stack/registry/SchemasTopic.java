package io.mycroft.stack.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mycroft.stack.registry.RegistryEvent.CompatibilityCleared;
import io.mycroft.stack.registry.RegistryEvent.CompatibilitySet;
import io.mycroft.stack.registry.RegistryEvent.IdsReserved;
import io.mycroft.stack.registry.RegistryEvent.VersionErased;
import io.mycroft.stack.registry.RegistryEvent.VersionStored;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's storage: a compacted single-partition topic (by default {@code _schemas}), as Confluent's registry keeps
 * it. Every {@link RegistryEvent} is one record; key and value are JSON strings:
 * <pre>
 * key {"keytype":"SCHEMA","subject":S,"version":V}  value {"subject":S,"version":V,"id":N,"schema":AVSC,"deleted":B}
 *                                                   value null: version V of S permanently deleted
 * key {"keytype":"CONFIG","subject":S}              value {"compatibilityLevel":L}; null: level of S removed
 * key {"keytype":"CONFIG"}                          value {"compatibilityLevel":L} (the global level)
 * key {"keytype":"ID_WATERMARK"}                    value {"maxId":N}: ids up to N are taken, even if erased since
 * </pre>
 * One key per thing that can change, so compaction keeps exactly the current state. The topic has one partition
 * because the state is a fold in order. Not thread-safe (its consumer is not): {@link RegistryService} serialises calls.
 */
final class SchemasTopic implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchemasTopic.class);
    private static final ObjectMapper json = new ObjectMapper();

    private final String bootstrapServers;
    private final String topic;
    private final Duration timeout;
    private final Map<String, String> kafkaSecurity;
    private final TopicPartition partition;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;

    /** {@code timeout}: how long any call to the broker may take before it fails as a store error. */
    SchemasTopic(String bootstrapServers, String topic, Duration timeout, Map<String, String> kafkaSecurity) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.timeout = timeout;
        this.kafkaSecurity = kafkaSecurity;
        this.partition = new TopicPartition(topic, 0);
        Properties config = clientConfig();
        // acks=all + idempotence: a write the registry confirms to a client survives a broker restart, exactly once.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Fail a write within the timeout (HTTP 500, error 50001) rather than hang the client for the 2-minute default.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() / 2);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        // No group: the registry reads the one partition by itself, from the beginning, every time it starts.
        Properties consumerConfig = blockingClientConfig();
        // A write waits for its own record to come back: don't let the broker hold a fetch for the default 500 ms.
        consumerConfig.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    /**
     * Creates the topic (one partition, compacted) if missing, and refuses an existing topic that is not compacted:
     * with time-based deletion the registry would lose its schemas when retention runs out.
     */
    void ensureExists(short replicationFactor) {
        try (Admin admin = Admin.create(blockingClientConfig())) {
            NewTopic newTopic = new NewTopic(topic, 1, replicationFactor)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(newTopic)).all().get();
                log.info("Created schemas topic {} (compacted, replication factor {})", topic, replicationFactor);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            String policy = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                throw new IllegalStateException("Topic " + topic + " has cleanup.policy=" + policy
                        + "; the schema registry needs a compacted topic. Use another --topic or set cleanup.policy=compact.");
            }
            log.info("Using existing schemas topic {}", topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking the schemas topic " + topic, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create or check the schemas topic " + topic + " on "
                    + bootstrapServers + ": " + e.getCause(), e);
        }
    }

    /**
     * Hands every record from where the previous call stopped (the beginning, the first time) up to the topic's current
     * end to {@code sink}, in order. After {@link #append} the end includes the appended record: acks=all returns only
     * once the high watermark has passed it.
     */
    void readToEnd(Consumer<RegistryEvent> sink) {
        try {
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    sink.accept(decode(record.key(), record.value()));
                }
            }
        } catch (KafkaException e) {
            throw RegistryException.storeError("could not read " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Writes one event and returns once the broker has it (acks=all); failures are Confluent's store error 50001. */
    void append(RegistryEvent event) {
        try {
            producer.send(new ProducerRecord<>(topic, 0, key(event), value(event))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.storeError("interrupted while writing to " + topic, e);
        } catch (ExecutionException e) {
            throw RegistryException.storeError("could not write to " + topic + ": " + e.getCause().getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(timeout);
        consumer.close(timeout);
    }

    private Properties clientConfig() {
        Properties config = new Properties();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.putAll(kafkaSecurity);
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return config;
    }

    /** Settings of the admin client and the consumer, whose blocking calls end after {@code timeout}. */
    private Properties blockingClientConfig() {
        Properties config = clientConfig();
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return config;
    }

    static String key(RegistryEvent event) {
        ObjectNode key = json.createObjectNode();
        if (event instanceof VersionStored stored) {
            key.put("keytype", "SCHEMA").put("subject", stored.version().subject()).put("version", stored.version().version());
        } else if (event instanceof VersionErased erased) {
            key.put("keytype", "SCHEMA").put("subject", erased.subject()).put("version", erased.version());
        } else if (event instanceof CompatibilitySet set) {
            key.put("keytype", "CONFIG");
            if (set.subject() != null) {
                key.put("subject", set.subject());
            }
        } else if (event instanceof CompatibilityCleared cleared) {
            key.put("keytype", "CONFIG").put("subject", cleared.subject());
        } else if (event instanceof IdsReserved) {
            key.put("keytype", "ID_WATERMARK");
        }
        return key.toString();
    }

    /** The record value, or null for the two tombstones. */
    static String value(RegistryEvent event) {
        ObjectNode value = json.createObjectNode();
        if (event instanceof VersionStored stored) {
            SchemaVersion version = stored.version();
            value.put("subject", version.subject()).put("version", version.version()).put("id", version.id())
                    .put("schema", version.schema()).put("deleted", version.deleted());
        } else if (event instanceof CompatibilitySet set) {
            value.put("compatibilityLevel", set.level().name());
        } else if (event instanceof IdsReserved reserved) {
            value.put("maxId", reserved.maxId());
        } else {
            return null;
        }
        return value.toString();
    }

    static RegistryEvent decode(String keyText, String valueText) {
        try {
            JsonNode key = json.readTree(keyText);
            JsonNode value = valueText == null ? null : json.readTree(valueText);
            String subject = key.hasNonNull("subject") ? key.get("subject").asText() : null;
            String keyType = key.path("keytype").asText();
            switch (keyType) {
                case "SCHEMA":
                    return value == null
                            ? new VersionErased(subject, key.get("version").asInt())
                            : new VersionStored(new SchemaVersion(value.get("subject").asText(), value.get("version").asInt(),
                                    value.get("id").asInt(), value.get("schema").asText(), value.get("deleted").asBoolean()));
                case "CONFIG":
                    return value == null
                            ? new CompatibilityCleared(subject)
                            : new CompatibilitySet(subject, CompatibilityLevel.valueOf(value.get("compatibilityLevel").asText()));
                case "ID_WATERMARK":
                    return new IdsReserved(value.get("maxId").asInt());
                default:
                    throw new IllegalStateException("Unknown record key type '" + keyType + "' in the schemas topic: " + keyText);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable record in the schemas topic: key " + keyText, e);
        }
    }
}
