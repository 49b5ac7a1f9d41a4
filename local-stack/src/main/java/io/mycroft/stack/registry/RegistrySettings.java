package io.mycroft.stack.registry;

import java.time.Duration;
import java.util.Map;

/**
 * Where the registry listens and where it keeps its schemas.
 *
 * @param port              HTTP port; 0 picks a free one ({@link SchemaRegistryServer#port()} tells which)
 * @param topic             the compacted topic holding every schema (Confluent's default name is {@code _schemas})
 * @param replicationFactor of the topic when the registry creates it; 1 on a one-broker local stack
 * @param storeTimeout      how long a call to the broker may take before the request fails with error 50001
 *                          (Confluent's {@code kafkastore.timeout.ms})
 * @param kafkaSecurity     SASL settings of the registry's Kafka clients; empty on a stack without authentication
 * @param httpUsers         user name → password of every HTTP client; when not empty, every request needs HTTP Basic
 *                          auth as one of them, and changing configs and deleting need {@link #ADMIN_USER}
 */
public record RegistrySettings(String bootstrapServers, String host, int port, String topic, short replicationFactor,
                               Duration storeTimeout, Map<String, String> kafkaSecurity, Map<String, String> httpUsers) {

    /** The operator's user name, the same as its Kafka principal's. */
    public static final String ADMIN_USER = "mycroft-admin";

    public RegistrySettings(String bootstrapServers, String host, int port, String topic, short replicationFactor,
                            Duration storeTimeout) {
        this(bootstrapServers, host, port, topic, replicationFactor, storeTimeout, Map.of(), Map.of());
    }

    public static final String DEFAULT_TOPIC = "_schemas";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final Duration DEFAULT_STORE_TIMEOUT = Duration.ofSeconds(30);

    /** A registry on 127.0.0.1:{@code port} storing in {@code _schemas} with replication factor 1. */
    public static RegistrySettings local(String bootstrapServers, int port) {
        return new RegistrySettings(bootstrapServers, DEFAULT_HOST, port, DEFAULT_TOPIC, (short) 1, DEFAULT_STORE_TIMEOUT);
    }

    public RegistrySettings withTopic(String otherTopic) {
        return new RegistrySettings(bootstrapServers, host, port, otherTopic, replicationFactor, storeTimeout, kafkaSecurity, httpUsers);
    }

    public RegistrySettings withStoreTimeout(Duration otherTimeout) {
        return new RegistrySettings(bootstrapServers, host, port, topic, replicationFactor, otherTimeout, kafkaSecurity, httpUsers);
    }
}
