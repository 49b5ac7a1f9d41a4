package io.mycroft.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycroft.schemas.TopicSpec;
import io.mycroft.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The real stack, through the same launcher as ./mycroft stack: up, up again, status, down, up on the same work dir. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {
    private static final String TOPIC = "it-round-trip";
    private static final String CONNECT_TOPIC = "it-connect";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Path workDir;
    private static LocalStack stack;
    private static StackProperties endpoints;
    private static Map<Component, Long> firstPids;

    @BeforeAll
    static void startStack() throws Exception {
        workDir = Files.createTempDirectory("mycroft-local-stack-it-");
        stack = new LocalStack(workDir, line -> System.out.println("[stack] " + line));
        long start = System.nanoTime();
        endpoints = stack.up(false);
        System.out.printf("[stack] first up took %.1f s%n", (System.nanoTime() - start) / 1e9);
        firstPids = pids();
    }

    @AfterAll
    static void stopStack() {
        stack.down();
        TestStack.deleteRecursively(workDir);
    }

    @Test
    @Order(1)
    void brokerRoundTripsARecord() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, "k", "v")).get();
        }
        assertThat(consumeAll()).containsExactly("k=v");
    }

    @Test
    @Order(2)
    void catalogueTopicsExistWithTheirConfigs() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()))) {
            for (TopicSpec spec : Topics.ALL) {
                String name = StackTopics.name(spec);
                TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
                assertThat(description.partitions()).as(name).hasSize(spec.partitions());
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
                Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
                spec.configs().forEach((key, value) ->
                        assertThat(config.get(key).value()).as(name + " " + key).isEqualTo(value));
            }
        }
    }

    @Test
    @Order(3)
    void registryAndConnectAnswer() throws Exception {
        assertThat(get(endpoints.schemaRegistryUrl() + "/subjects").statusCode()).isEqualTo(200);
        HttpResponse<String> plugins = get(endpoints.connectUrl() + "/connector-plugins");
        assertThat(plugins.statusCode()).isEqualTo(200);
        assertThat(plugins.body()).contains("org.apache.kafka.connect.file.FileStreamSourceConnector");
    }

    /** KIP-618 needs the distributed worker with exactly.once.source.support: a connector that requires it runs. */
    @Test
    @Order(4)
    void connectRunsAnExactlyOnceSourceConnector() throws Exception {
        Path input = Files.writeString(workDir.resolve("connect-input.txt"), "first\nsecond\n");
        String config = """
                {"connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector", "tasks.max": "1",
                 "file": "%s", "topic": "%s", "exactly.once.support": "required"}""".formatted(input, CONNECT_TOPIC);
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(
                        URI.create(endpoints.connectUrl() + "/connectors/it-file-source/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(config)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        assertThat(consume(CONNECT_TOPIC, 2)).containsExactly("null=\"first\"", "null=\"second\"");
        HTTP.send(HttpRequest.newBuilder(URI.create(endpoints.connectUrl() + "/connectors/it-file-source")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    @Test
    @Order(5)
    void upAgainKeepsTheRunningProcesses() {
        long start = System.nanoTime();
        stack.up(false);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(pids()).isEqualTo(firstPids);
    }

    @Test
    @Order(6)
    void statusReportsEveryComponentUp() {
        assertThat(stack.status()).allSatisfy(s -> {
            assertThat(s.state()).as(s.component().id()).isEqualTo(LocalStack.State.UP);
            assertThat(s.pid()).hasValue(firstPids.get(s.component()));
            assertThat(s.port()).isEqualTo(endpoints.port(s.component()));
        });
    }

    @Test
    @Order(7)
    void downStopsExactlyTheStartedProcesses() {
        stack.down();
        firstPids.forEach((component, pid) ->
                assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as(component.id()).isEmpty());
        assertThat(stack.status()).allSatisfy(s -> assertThat(s.state()).isEqualTo(LocalStack.State.DOWN));
        assertThat(workDir.resolve("pids")).isEmptyDirectory();
        assertThat(StackProperties.load(workDir).pid(Component.BROKER)).isEmpty();
    }

    @Test
    @Order(8)
    void restartOnTheSameWorkDirKeepsPortsAndData() throws Exception {
        long start = System.nanoTime();
        StackProperties restarted = stack.up(false);
        System.out.printf("[stack] restart took %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertThat(restarted.bootstrapServers()).isEqualTo(endpoints.bootstrapServers());
        assertThat(consumeAll()).containsExactly("k=v");
        assertThat(stack.status()).allSatisfy(s -> assertThat(s.state()).isEqualTo(LocalStack.State.UP));
    }

    private static Map<Component, Long> pids() {
        return stack.status().stream().collect(Collectors.toMap(LocalStack.ComponentStatus::component,
                s -> s.pid().orElseThrow()));
    }

    private static List<String> consumeAll() {
        return consume(TOPIC, 1);
    }

    /** Reads {@code topic} from the beginning, committed records only, until {@code count} arrived or 30 s passed. */
    private static List<String> consume(String topic, int count) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic + "-" + System.nanoTime());
        List<String> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    records.add(r.key() + "=" + r.value());
                }
            }
        }
        return records;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
