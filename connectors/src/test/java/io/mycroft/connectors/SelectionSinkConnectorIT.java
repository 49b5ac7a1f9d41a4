package io.mycroft.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.ConnectClient;
import io.mycroft.stack.StackProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mycroft.schemas.ClassSubset;
import mycroft.schemas.SelectedSample;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The selection sink from its plugin jar: subset-updates become owners' manifest files; garbage goes to Connect's DLQ. */
class SelectionSinkConnectorIT {
    private static final String DLQ = "selection-sink-dead-letters";

    @Test
    void writesTheLatestSubsetPerOwnerAndRequestAndSetsGarbageAside() throws Exception {
        PluginStack stack = PluginStack.shared();
        StackProperties endpoints = stack.endpoints();
        Topic<String, SubsetUpdate> updates = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, endpoints.schemaRegistryUrl()))
                .subsetUpdates();
        Path manifests = stack.workDir().resolve("manifests");

        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", SelectionSinkConnector.class.getName());
        config.put("topics", updates.name());
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", SampleRecords.VALUE_CONVERTER);
        config.put(SelectionSinkConfig.MANIFEST_DIRECTORY, manifests.toString());
        config.put(SerdeConfig.REGISTRY_URL, endpoints.schemaRegistryUrl());
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", DLQ);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        ConnectClient.of(endpoints).putConfig("selection-manifests", config);

        byte[] garbage = {0, 0, 0, 0, 99, 1, 2, 3};
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            send(producer, updates, update("r1", "owner-s", 1, "a.csv:2"));
            producer.send(new ProducerRecord<>(updates.name(), "r1|owner-t", garbage)).get();
            send(producer, updates, update("r1", "owner-s", 2, "a.csv:2", "a.csv:9", "b.csv:4"));
            send(producer, updates, update("r2", "owner-s", 1, "c.csv:3"));
        }

        Path r1 = manifests.resolve("owner-s").resolve("selection-r1.json");
        ObjectMapper json = new ObjectMapper();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(r1) && json.readTree(r1.toFile()).get("seq").asLong() == 2
                && Files.exists(manifests.resolve("owner-s").resolve("selection-r2.json")));
        JsonNode manifest = json.readTree(r1.toFile());
        List<String> ids = new ArrayList<>();
        manifest.get("samples").forEach(s -> ids.add(s.get("sampleId").asText()));
        assertThat(ids).containsExactly("a.csv:2", "a.csv:9", "b.csv:4");
        assertThat(manifest.get("samples").get(1).get("weight").asDouble()).isEqualTo(0.5);
        assertThat(manifest.get("samples").get(1).get("label").asInt()).isEqualTo(3);
        assertThat(manifest.get("score").asDouble()).isEqualTo(0.75);
        assertThat(manifests.resolve("owner-t")).doesNotExist();

        try (KafkaConsumer<String, byte[]> dlq = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.GROUP_ID_CONFIG, "selection-sink-it"), new StringDeserializer(), new ByteArrayDeserializer())) {
            dlq.subscribe(List.of(DLQ));
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                dlq.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("r1|owner-t");
                assertThat(r.value()).isEqualTo(garbage);
                assertThat(new String(r.headers().lastHeader("__connect.errors.exception.class.name").value()))
                        .isEqualTo("io.mycroft.schemas.serde.WireFormatException");
            });
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, Topic<String, SubsetUpdate> topic, SubsetUpdate update)
            throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), update.getRequestId() + "|" + update.getOwnerId(),
                topic.valueSerde().serializer().serialize(topic.name(), update))).get();
    }

    /** Sample i gets weight 1 / (i + 1), all of class 3. */
    private static SubsetUpdate update(String requestId, String ownerId, long seq, String... sampleIds) {
        List<SelectedSample> selected = new ArrayList<>();
        for (int i = 0; i < sampleIds.length; i++) {
            selected.add(new SelectedSample(sampleIds[i], 1.0 / (i + 1)));
        }
        return SubsetUpdate.newBuilder().setRequestId(requestId).setOwnerId(ownerId).setSeq(seq).setSamplesSeen(100)
                .setClasses(List.of(ClassSubset.newBuilder().setLabel(3).setSelected(selected).setResidualNorm(0.25)
                        .setTargetNorm(1.0).build()))
                .setScore(0.75).setAsOf(Instant.parse("2026-11-25T12:00:00Z")).build();
    }
}
