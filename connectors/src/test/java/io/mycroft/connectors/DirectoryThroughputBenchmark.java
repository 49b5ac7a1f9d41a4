package io.mycroft.connectors;

import io.mycroft.schemas.Topics;
import io.mycroft.stack.ConnectClient;
import io.mycroft.stack.StackProperties;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Rows per second from one CSV file into Kafka with one task: the directory connector (OwnerSample, Avro, registry)
 * against Kafka's FileStreamSourceConnector (one string per line) on the same file, same worker, same run, both under
 * the worker's exactly-once source mode. Alternating runs after a warm-up; a run ends at the last committed transaction
 * (no change of the last stable offsets for 5 s), and its records are then counted with a read_committed consumer. Run with {@code mvn -pl connectors verify -Dit.test=DirectoryThroughputBenchmark};
 * writes target/connect-benchmark.md.
 */
class DirectoryThroughputBenchmark {
    private static final int ROWS = Integer.getInteger("bench.rows", 200_000);
    private static final int FEATURES = 16;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    /** A run is over when the committed offsets have not moved for this long. */
    private static final int QUIET_SECONDS = 5;

    @Test
    void directoryConnectorAgainstFileStreamSource() throws Exception {
        PluginStack stack = PluginStack.shared();
        StackProperties endpoints = stack.endpoints();
        ConnectClient connect = ConnectClient.of(endpoints);
        Path dir = Files.createDirectories(stack.workDir().resolve("bench"));
        Path csv = dir.resolve("rows.csv");
        writeCsv(csv, ROWS);
        Path warmDir = Files.createDirectories(stack.workDir().resolve("bench-warm"));
        writeCsv(warmDir.resolve("warm.csv"), 20_000);

        List<String> lines = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()))) {
            run(admin, connect, endpoints, "warm-mycroft", warmDir, 20_000, true);
            run(admin, connect, endpoints, "warm-file", warmDir.resolve("warm.csv"), 20_001, false);
            for (int round = 1; round <= ROUNDS; round++) {
                lines.add(run(admin, connect, endpoints, "bench" + round + "-mycroft", dir, ROWS, true));
                lines.add(run(admin, connect, endpoints, "bench" + round + "-file", csv, ROWS + 1, false));
            }
        }
        String report = String.format(Locale.ROOT, "rows: %,d (label + %d float features, %,d bytes)%n%n"
                        + "| run | connector | records | seconds | records/s | topic bytes |%n|---|---|---|---|---|---|%n%s%n",
                ROWS, FEATURES, Files.size(csv), String.join("\n", lines));
        Files.writeString(Path.of("target", "connect-benchmark.md"), report);
        System.out.println(report);
    }

    /** Creates the connector, waits until {@code records} are committed, deletes it; returns a table row. */
    private static String run(Admin admin, ConnectClient connect, StackProperties endpoints, String name, Path source,
                              int records, boolean mycroft) throws Exception {
        String topic = mycroft ? name + "-" + Topics.OWNER_SAMPLES.baseName() : name + "-lines";
        List<NewTopic> topics = new ArrayList<>(List.of(new NewTopic(topic, 4, (short) 1)));
        if (mycroft) {
            topics.add(new NewTopic(name + "-" + Topics.DEAD_LETTERS.baseName(), 1, (short) 1));
        }
        admin.createTopics(topics).all().get();
        Map<String, String> config;
        if (mycroft) {
            config = OwnerConnectors.directory("bench", source, endpoints.schemaRegistryUrl(), 1);
            config.put(Topics.PREFIX, name + "-");
        } else {
            config = new LinkedHashMap<>();
            config.put("connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector");
            config.put("tasks.max", "1");
            config.put("file", source.toString());
            config.put("topic", topic);
            config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
            config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        }
        long start = System.nanoTime();
        connect.putConfig(name, config);
        // Committed offsets count transaction markers too: time the last change, then count records by reading.
        long last = 0;
        long lastChange = start;
        while (last == 0 || System.nanoTime() - lastChange < TimeUnit.SECONDS.toNanos(QUIET_SECONDS)) {
            TimeUnit.MILLISECONDS.sleep(20);
            long now = committedOffsets(admin, topic);
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            }
        }
        double seconds = (lastChange - start) / 1e9;
        long committed = count(endpoints, topic);
        // Ours must deliver every row; FileStreamSource's count is reported as it is (header line included).
        if (mycroft && committed != records) {
            throw new AssertionError(name + ": " + committed + " records on " + topic + ", expected " + records);
        }
        connect.delete(name);
        long bytes = admin.describeLogDirs(List.of(1)).allDescriptions().get().values().stream()
                .flatMap(d -> d.values().stream()).flatMap(d -> d.replicaInfos().entrySet().stream())
                .filter(e -> e.getKey().topic().equals(topic)).mapToLong(e -> e.getValue().size()).sum();
        return String.format(Locale.ROOT, "| %s | %s | %,d | %.2f | %,.0f | %,d |", name,
                mycroft ? "OwnerDirectorySourceConnector" : "FileStreamSourceConnector", committed, seconds,
                committed / seconds, bytes);
    }

    /** The sum of the last stable offsets: grows with every committed transaction. */
    private static long committedOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        for (int p = 0; p < 4; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get().values()
                .stream().mapToLong(o -> o.offset()).sum();
    }

    private static long count(StackProperties endpoints, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long count = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    private static void writeCsv(Path file, int rows) throws Exception {
        Random random = new Random(42);
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            StringBuilder header = new StringBuilder("label");
            for (int f = 0; f < FEATURES; f++) {
                header.append(",f").append(f);
            }
            out.write(header + "\n");
            for (int r = 0; r < rows; r++) {
                StringBuilder row = new StringBuilder().append(random.nextInt(26));
                for (int f = 0; f < FEATURES; f++) {
                    row.append(',').append(random.nextInt(16));
                }
                out.write(row + "\n");
            }
        }
    }
}
