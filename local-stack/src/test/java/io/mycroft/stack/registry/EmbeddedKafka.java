package io.mycroft.stack.registry;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** One real in-process KRaft broker+controller per test JVM, started on first use, closed when the JVM exits. */
final class EmbeddedKafka {

    private static KafkaClusterTestKit cluster;

    private EmbeddedKafka() {
    }

    static synchronized String bootstrapServers() throws Exception {
        if (cluster == null) {
            cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build()).build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            KafkaClusterTestKit started = cluster;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (Exception e) {
                    throw new IllegalStateException("Could not stop the embedded Kafka cluster", e);
                }
            }));
        }
        return cluster.bootstrapServers();
    }
}
