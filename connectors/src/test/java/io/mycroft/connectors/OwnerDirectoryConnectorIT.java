package io.mycroft.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.ConnectClient;
import io.mycroft.stack.StackProperties;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.OwnerSample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The directory connector from its plugin jar on a real broker, registry and distributed Connect worker. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OwnerDirectoryConnectorIT {
    private static final String HEADER = "f0,f1,label,f2\n";
    private static PluginStack stack;
    private static StackProperties endpoints;
    private static Topics topics;
    private static ConnectClient connect;

    @BeforeAll
    static void startStack() throws IOException {
        stack = PluginStack.shared();
        endpoints = stack.endpoints();
        topics = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, endpoints.schemaRegistryUrl()));
        connect = ConnectClient.of(endpoints);
    }

    /**
     * 10,000 valid rows in four files (plus three bad ones) at a throttled rate over two tasks; kill -9 of the worker
     * mid-way; while it is down a file grows and a new one appears; after the restart every valid row is on
     * owner-samples exactly once and every bad one on dead-letters exactly once, with its reason.
     */
    @Test
    @Order(1)
    void everyRowExactlyOnceAcrossAWorkerKill() throws Exception {
        Path dir = Files.createDirectories(stack.workDir().resolve("owner-a"));
        Set<String> expected = new HashSet<>();
        for (int part = 0; part < 4; part++) {
            writeRows(dir.resolve("part-" + part + ".csv"), HEADER, 2, 2500, expected);
        }
        appendLines(dir.resolve("part-1.csv"), "1.0,2.0,3\n");        // line 2502: 3 fields
        appendLines(dir.resolve("part-2.csv"), "1.0,abc,3,4.0\n");    // line 2502: not a number
        appendLines(dir.resolve("part-3.csv"), "1.0,2.0,x,4.0\n");    // line 2502: label not an integer
        assertThat(expected).hasSize(10_000);

        Map<String, String> config = OwnerConnectors.directory("owner-a", dir, endpoints.schemaRegistryUrl(), 2);
        config.put(OwnerDirectoryConfig.MAX_RECORDS_PER_SECOND, "500");
        config.put(OwnerDirectoryConfig.BATCH_SIZE, "100");
        config.put(OwnerDirectoryConfig.POLL_INTERVAL_MS, "200");
        long start = System.nanoTime();
        connect.putConfig(OwnerConnectors.directoryConnectorName("owner-a"), config);

        try (CommittedRecords<OwnerSample> samples = new CommittedRecords<>(endpoints.bootstrapServers(),
                topics.ownerSamples().name(), topics.ownerSamples().valueSerde().deserializer())) {
            Predicate<OwnerSample> ownerA = s -> s.getOwnerId().equals("owner-a");
            int beforeKill = samples.readUntil(ownerA, 2_000, Duration.ofSeconds(60)).size();
            stack.killConnect();
            System.out.printf("killed the worker with %d rows committed, %.1f s after creating the connector%n",
                    beforeKill, (System.nanoTime() - start) / 1e9);
            assertThat(beforeKill).isBetween(2_000, 9_999);

            writeRows(dir.resolve("part-4.csv"), HEADER, 2, 500, expected);           // a new file
            appendRows(dir.resolve("part-0.csv"), 2502, 500, expected);               // an appended file
            long restart = System.nanoTime();
            stack.up();
            System.out.printf("worker restarted in %.1f s%n", (System.nanoTime() - restart) / 1e9);

            samples.readUntil(ownerA, expected.size(), Duration.ofSeconds(90));
            List<OwnerSample> all = samples.readAvailable(ownerA); // and any duplicate committed meanwhile
            System.out.printf("%d samples committed %.1f s after creating the connector%n",
                    all.size(), (System.nanoTime() - start) / 1e9);
            List<String> ids = all.stream().map(OwnerSample::getSampleId).toList();
            assertThat(ids).doesNotHaveDuplicates();
            assertThat(new HashSet<>(ids)).isEqualTo(expected);
            OwnerSample first = all.stream().filter(s -> s.getSampleId().equals("part-3.csv:7")).findFirst().orElseThrow();
            assertThat(first.getOwnerId()).isEqualTo("owner-a");
            assertThat(first.getLabel()).isEqualTo(label(3, 7));
            assertThat(floats(first.getFeatures().getValues())).containsExactly(3f, 7f, 0.5f);
            assertThat(first.getSource().getSystem()).isEqualTo("csv");
        }

        try (CommittedRecords<DeadLetter> dead = new CommittedRecords<>(endpoints.bootstrapServers(),
                topics.deadLetters().name(), topics.deadLetters().valueSerde().deserializer())) {
            Predicate<DeadLetter> csv = d -> d.getLocation().startsWith("part-");
            dead.readUntil(csv, 3, Duration.ofSeconds(30));
            Map<String, String> reasons = dead.readAvailable(csv).stream()
                    .collect(Collectors.toMap(DeadLetter::getLocation, DeadLetter::getReason)); // throws on duplicates
            assertThat(reasons).containsOnlyKeys("part-1.csv:2502", "part-2.csv:2502", "part-3.csv:2502");
            assertThat(reasons.get("part-1.csv:2502")).isEqualTo("the row has 3 fields, the header 4");
            assertThat(reasons.get("part-2.csv:2502")).isEqualTo("value 'abc' in column 'f1' is not a finite number");
            assertThat(reasons.get("part-3.csv:2502")).isEqualTo("label 'x' in column 'label' is not an integer");
        }
    }

    /** An IDX.gz pair and a folder of PNGs, one of them broken and one in a folder that is not a label. */
    @Test
    @Order(2)
    void idxPairsAndImageFolders() throws Exception {
        Path dir = Files.createDirectories(stack.workDir().resolve("owner-b"));
        TestFiles.writeIdx(dir.resolve("fm-images-idx3-ubyte.gz"), dir.resolve("fm-labels-idx1-ubyte.gz"), 300, 28, 28);
        byte[] png = TestFiles.png(4, 3);
        Files.write(Files.createDirectories(dir.resolve("7")).resolve("a.png"), png);
        Files.write(dir.resolve("7").resolve("broken.png"), TestFiles.brokenPng());
        Files.write(Files.createDirectories(dir.resolve("cats")).resolve("c.png"), png);

        // The connector `owners add owner-b --dir DIR` creates.
        connect.putConfig(OwnerConnectors.directoryConnectorName("owner-b"),
                OwnerConnectors.directory("owner-b", dir, endpoints.schemaRegistryUrl(), 1));

        try (CommittedRecords<OwnerSample> samples = new CommittedRecords<>(endpoints.bootstrapServers(),
                topics.ownerSamples().name(), topics.ownerSamples().valueSerde().deserializer())) {
            Predicate<OwnerSample> isOwnerB = s -> s.getOwnerId().equals("owner-b");
            samples.readUntil(isOwnerB, 301, Duration.ofSeconds(60));
            List<OwnerSample> ownerB = samples.readAvailable(isOwnerB);
            assertThat(ownerB).hasSize(301);
            OwnerSample image = ownerB.stream().filter(s -> s.getSampleId().equals("7/a.png:0")).findFirst().orElseThrow();
            assertThat(image.getLabel()).isEqualTo(7);
            assertThat(image.getMediaType()).isEqualTo("image/png");
            assertThat(image.getRaw().array()).isEqualTo(png);
            OwnerSample idx = ownerB.stream().filter(s -> s.getSampleId().equals("fm-images-idx3-ubyte.gz:299"))
                    .findFirst().orElseThrow();
            assertThat(idx.getLabel()).isEqualTo(TestFiles.idxLabel(299));
            assertThat(idx.getFeatures().getDim()).isEqualTo(28 * 28);
            assertThat(floats(idx.getFeatures().getValues())[5]).isEqualTo(TestFiles.idxPixel(299, 5) / 255f);
        }
        JsonNode status = connect.status(OwnerConnectors.directoryConnectorName("owner-b"));
        assertThat(status.path("connector").path("state").asText()).isEqualTo("RUNNING");
        assertThat(status.path("tasks")).hasSize(1);
        assertThat(status.path("tasks").get(0).path("state").asText()).isEqualTo("RUNNING");
        try (CommittedRecords<DeadLetter> dead = new CommittedRecords<>(endpoints.bootstrapServers(),
                topics.deadLetters().name(), topics.deadLetters().valueSerde().deserializer())) {
            Predicate<DeadLetter> files = d -> d.getLocation().matches("(7|cats)/.*|fm-.*");
            dead.readUntil(files, 2, Duration.ofSeconds(30));
            Map<String, String> reasons = dead.readAvailable(files).stream()
                    .collect(Collectors.toMap(DeadLetter::getLocation, DeadLetter::getReason));
            assertThat(reasons).containsOnlyKeys("7/broken.png:0", "cats/c.png:0");
            assertThat(reasons.get("7/broken.png:0")).startsWith("unreadable image/png");
            assertThat(reasons.get("cats/c.png:0")).isEqualTo("folder 'cats' is not an integer label");
        }
    }

    /** Row {@code line} of part {@code part}: features part, line, 0.5 and a label derived from both. */
    private static void writeRows(Path file, String header, int firstLine, int rows, Set<String> expected) throws IOException {
        Files.writeString(file, header);
        appendRows(file, firstLine, rows, expected);
    }

    private static void appendRows(Path file, int firstLine, int rows, Set<String> expected) throws IOException {
        int part = Integer.parseInt(file.getFileName().toString().replaceAll("\\D", ""));
        StringBuilder text = new StringBuilder();
        for (int line = firstLine; line < firstLine + rows; line++) {
            text.append(part).append(',').append(line).append(',').append(label(part, line)).append(",0.5\n");
            expected.add(file.getFileName() + ":" + line);
        }
        appendLines(file, text.toString());
    }

    private static void appendLines(Path file, String lines) throws IOException {
        Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static int label(int part, int line) {
        return (part * 31 + line) % 10;
    }

    private static float[] floats(ByteBuffer bytes) {
        ByteBuffer le = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[le.remaining() / 4];
        le.asFloatBuffer().get(values);
        return values;
    }
}
