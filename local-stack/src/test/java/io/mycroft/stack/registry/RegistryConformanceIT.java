package io.mycroft.stack.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mycroft.schemas.ExampleRecords;
import io.mycroft.schemas.serde.AvroSerde;
import io.mycroft.schemas.serde.RestSchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conformance against a client no one here wrote: the npm package {@code @kafkajs/confluent-schema-registry} (pinned
 * in {@code src/test/conformance/package-lock.json}) registers, looks up and fetches schemas on our registry, and its
 * Confluent-wire-format bytes and ours must be identical and decode on the other side, for one record of every topic.
 */
@ExtendWith(EmbeddedKafka.class)
class RegistryConformanceIT {

    private static final Path CONFORMANCE = Path.of("src/test/conformance");
    private static final HexFormat HEX = HexFormat.of();

    private static SchemaRegistryServer server;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void startRegistryAndInstallClient() throws Exception {
        server = new SchemaRegistryServer(
                RegistrySettings.local(EmbeddedKafka.bootstrapServers(), 0).withTopic("_schemas-conformance")).start();
        installNodeModules();
    }

    @AfterAll
    static void stopRegistry() {
        server.close();
    }

    /** {@code npm ci} from the committed lock file, unless node_modules already matches it. */
    private static void installNodeModules() throws Exception {
        Path installed = CONFORMANCE.resolve("node_modules/.package-lock.json");
        FileTime locked = Files.getLastModifiedTime(CONFORMANCE.resolve("package-lock.json"));
        if (Files.exists(installed) && Files.getLastModifiedTime(installed).compareTo(locked) >= 0) {
            return;
        }
        run(null, "npm", "ci", "--no-audit", "--no-fund");
    }

    static Stream<Arguments> exampleRecords() {
        return ExampleRecords.perTopic().entrySet().stream()
                .map(entry -> Arguments.of(entry.getKey().baseName(), entry.getValue().getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exampleRecords")
    <T extends SpecificRecord> void npmClientAndOurSerdeAgreeByteForByte(String topic, T record) throws Exception {
        Schema schema = record.getSchema();
        JsonNode registered = registerWithNpm(topic + "-value", schema.toString());
        int id = registered.get("id").asInt();
        assertThat(registered.get("lookupId").asInt()).as("POST /subjects/{s}").isEqualTo(id);
        assertThat(registered.get("latestId").asInt()).as("GET /subjects/{s}/versions/latest").isEqualTo(id);

        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) record.getClass();
        AvroSerde<T> serde = new AvroSerde<>(type, new RestSchemaRegistryClient(server.url()), true);
        byte[] ours = serde.serialize(topic, record);
        assertThat(ByteBuffer.wrap(ours, 1, 4).getInt()).as("our serializer found the npm client's id").isEqualTo(id);

        byte[] theirs = HEX.parseHex(run(avroJson(record), "node", "conformance.js", "encode", server.url(), String.valueOf(id)));
        assertThat(HEX.formatHex(theirs)).as("two independent encoders").isEqualTo(HEX.formatHex(ours));
        assertThat(serde.deserialize(topic, theirs)).as("npm bytes through our deserializer").isEqualTo(record);

        String decodedByNpm = run(null, "node", "conformance.js", "decode", server.url(), HEX.formatHex(ours));
        assertThat(fromAvroJson(type, schema, decodedByNpm)).as("our bytes through the npm decoder").isEqualTo(record);
    }

    @Test
    void npmClientSetsItsCompatibilityAndIsRefusedAnIncompatibleSchema() throws Exception {
        Schema model = ExampleRecords.model().getSchema();
        assertThat(registerWithNpm("conformance-value", model.toString()).has("id")).isTrue();
        RegistryClient client = new RegistryClient(server.url());
        // The client's first registration finds no subject level (40408) and sets BACKWARD itself.
        assertThat(client.get("/config/conformance-value").json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");

        ObjectNode withRequiredField = (ObjectNode) RegistryClient.JSON.readTree(model.toString());
        ((ArrayNode) withRequiredField.get("fields")).addObject().put("name", "owner").put("type", "string");
        JsonNode refused = registerWithNpm("conformance-value", withRequiredField.toString());
        assertThat(refused.get("status").asInt()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.get("error").asText()).contains("incompatible", "owner");
    }

    private JsonNode registerWithNpm(String subject, String schema) throws Exception {
        Path schemaFile = Files.writeString(tempDir.resolve(subject + ".avsc"), schema);
        return RegistryClient.JSON.readTree(run(null, "node", "conformance.js", "register", server.url(), subject,
                schemaFile.toAbsolutePath().toString()));
    }

    private static <T extends SpecificRecord> String avroJson(T record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonEncoder encoder = EncoderFactory.get().jsonEncoder(record.getSchema(), out);
        @SuppressWarnings("unchecked")
        SpecificDatumWriter<T> writer = new SpecificDatumWriter<>((Class<T>) record.getClass());
        writer.write(record, encoder);
        encoder.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static <T extends SpecificRecord> T fromAvroJson(Class<T> type, Schema schema, String json) throws IOException {
        return new SpecificDatumReader<>(type).read(null, DecoderFactory.get().jsonDecoder(schema, json));
    }

    /**
     * Runs a command in the conformance directory with {@code stdin} (UTF-8, may be null) and returns its trimmed stdout;
     * a non-zero exit fails the test with the command's stderr.
     */
    private static String run(String stdin, String... command) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("conformance", ".stderr");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(CONFORMANCE.toFile())
                    .redirectError(stderr.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + command[0] + ": the conformance test needs Node.js 18+ and npm"
                    + " on the PATH", e);
        }
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " failed:\n" + Files.readString(stderr) + stdout);
        }
        Files.delete(stderr);
        return stdout.trim();
    }
}
