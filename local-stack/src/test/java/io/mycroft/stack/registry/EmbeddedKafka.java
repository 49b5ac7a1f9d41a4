package io.mycroft.stack.registry;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real in-process KRaft broker+controller per test JVM, for classes annotated {@code @ExtendWith(EmbeddedKafka.class)}:
 * started by the first of them, closed by JUnit when the whole run ends (it sits in the root store, and JUnit closes
 * {@link AutoCloseable} values there) rather than in a shutdown hook racing the test JVM's exit.
 */
final class EmbeddedKafka implements BeforeAllCallback {

    private static volatile KafkaClusterTestKit cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(EmbeddedKafka.class, key -> newCluster(), KafkaClusterTestKit.class);
    }

    static String bootstrapServers() {
        if (cluster == null) {
            throw new IllegalStateException("No embedded Kafka: annotate the test class with @ExtendWith(EmbeddedKafka.class)");
        }
        return cluster.bootstrapServers();
    }

    /** A started one-node cluster of its own, for a test that must break it. */
    static KafkaClusterTestKit newCluster() {
        try {
            KafkaClusterTestKit started = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build()).build();
            started.format();
            started.startup();
            started.waitForReadyBrokers();
            return started;
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the embedded Kafka cluster", e);
        }
    }
}
