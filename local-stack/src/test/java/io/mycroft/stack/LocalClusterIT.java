package io.mycroft.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycroft.schemas.TopicSpec;
import io.mycroft.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./mycroft stack up --brokers 3}: three KRaft nodes, every catalogue topic replicated three times with
 * min.insync.replicas 2, so an acks=all write succeeds with one node killed; status names each node; up restarts it.
 */
class LocalClusterIT {
    private static Path workDir;
    private static LocalStack stack;
    private static StackProperties endpoints;

    @BeforeAll
    static void startCluster() throws Exception {
        workDir = Files.createTempDirectory("mycroft-local-cluster-it-");
        stack = new LocalStack(workDir, line -> System.out.println("[cluster] " + line), 3);
        endpoints = stack.up(false);
    }

    @AfterAll
    static void stopCluster() {
        stack.abandon();
        TestStack.deleteRecursively(workDir);
    }

    @Test
    void survivesTheLossOfOneNodeAndRestartsIt() throws Exception {
        assertThat(stack.status()).extracting(LocalStack.ComponentStatus::name)
                .containsExactly("broker", "registry", "connect", "broker-2", "broker-3");
        assertThat(stack.status()).allSatisfy(s -> assertThat(s.state()).as(s.name()).isEqualTo(LocalStack.State.UP));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()))) {
            for (TopicSpec spec : Topics.ALL) {
                String name = StackTopics.name(spec);
                TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
                assertThat(description.partitions()).as(name).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
                Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
                assertThat(config.get("min.insync.replicas").value()).as(name).isEqualTo("2");
            }
        }

        LocalStack.ComponentStatus node2 = stack.status().get(3);
        ProcessHandle process = ProcessHandle.of(node2.pid().orElseThrow()).orElseThrow();
        process.destroyForcibly();
        process.onExit().join();
        assertThat(stack.status().get(3).state()).isEqualTo(LocalStack.State.DOWN);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(StackTopics.name(Topics.ALL.get(0)), "k", "v")).get();
        }

        stack.up(false);
        assertThat(stack.status()).allSatisfy(s -> assertThat(s.state()).as(s.name()).isEqualTo(LocalStack.State.UP));
    }
}
