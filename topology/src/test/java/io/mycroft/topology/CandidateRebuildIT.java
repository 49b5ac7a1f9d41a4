package io.mycroft.topology;

import io.mycroft.processors.SelectionRecords;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.TestStack;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The candidates are held in memory only, and the claims' index has no changelog. An instance runs half the input,
 * stops, and its state directory is deleted; a new instance restores the changelogged stores, rebuilds the claims'
 * index from the claim log at start and the candidates from {@code sample-vectors} when the second half arrives, and
 * ends with the subsets and ranking a replay of all the input from offset 0 gives (the audit replay, bit for bit).
 */
class CandidateRebuildIT {
    private static final List<String> OWNERS = List.of("alpha", "bravo", "charlie");
    private static final int DIM = 16;
    private static final int BATCHES = 6;
    private static final int PER_BATCH = 10;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aWipedStateDirectoryEndsBitIdenticalToAReplay() throws Exception {
        StackProperties stack = TestStack.shared();
        Map<String, String> settings = Map.of(
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                SerdeConfig.REGISTRY_URL, stack.schemaRegistryUrl(),
                StreamsConfig.APPLICATION_ID_CONFIG, "rebuild-it-" + UUID.randomUUID(),
                MycroftStreamsConfig.RANKING_EMIT_INTERVAL_MS, "200",
                MycroftStreamsConfig.HTTP_PORT, "0");
        MycroftStreamsConfig config = MycroftStreamsConfig.of(settings);
        Topics topics = config.topics();
        String request = "rebuild-" + UUID.randomUUID();
        Random random = new Random(5);
        float[] y = SelectionRecords.gaussian(random, DIM);
        List<SampleVectors> batches = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            for (String owner : OWNERS) {
                List<SampleVector> samples = new ArrayList<>();
                for (int s = 0; s < PER_BATCH; s++) {
                    float[] g = SelectionRecords.gaussian(random, DIM);
                    samples.add(new SampleVector(owner + "-" + b + "-" + s, 1, FloatVectors.of(g), null, 1f,
                            SelectionRecords.digestOf(g), (long) s, null));
                }
                batches.add(new SampleVectors(request, owner, 1, samples));
            }
        }
        // A bad sample id in an applied record: lettered when it arrives, never again by the rebuild that replays the record.
        batches.get(0).getSamples().get(0).setSampleId("bad|id");
        String letteredKey = Keys.requestOwner(request, batches.get(0).getOwnerId());
        int half = batches.size() / 2;
        // A copy after the restart of a sample alpha sent before it: credited to alpha only if the claims' index, which
        // is in memory or in a store without a changelog, is rebuilt from the claim log.
        batches.get(half + 1).getSamples().set(0, SampleVector.newBuilder(batches.get(0).getSamples().get(1))
                .setSampleId("bravo-copy").build());

        Path firstState = Files.createTempDirectory("rebuild-it-a");
        try (KafkaProducer<String, byte[]> producer = producer(stack)) {
            producer.send(new ProducerRecord<>(topics.hardsetVectors().name(), request, topics.hardsetVectors().valueSerde()
                    .serializer().serialize(topics.hardsetVectors().name(), SelectionRecords.gradientHardSet(request, y)))).get();
            try (MycroftStreamsApp first = start(settings, firstState)) {
                send(producer, topics, batches.subList(0, half));
                awaitSamplesSeen(first, request, half / OWNERS.size() * PER_BATCH);
                // Leaving the group lets the second instance take the partitions at once, not after the session timeout.
                first.streams().close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(30)));
            }
            Utils.delete(firstState.toFile());
            try (MycroftStreamsApp second = start(settings, Files.createTempDirectory("rebuild-it-b"))) {
                send(producer, topics, batches.subList(half, batches.size()));
                awaitSamplesSeen(second, request, BATCHES * PER_BATCH);
                assertThat(metric(second, "mycroft_candidates_rebuilt_total")).isEqualTo(OWNERS.size());
                assertThat(metric(second, "mycroft_claim_index_rebuilt_total")).isEqualTo(1);
                assertThat(duplicateSamples(second, request, "bravo")).isEqualTo(1);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    AuditReplay.Result audit = AuditReplay.replay(config, request);
                    assertThat(audit.owners()).isEqualTo(OWNERS.size());
                    assertThat(audit.differences()).isEmpty();
                    assertThat(audit.replayedDigest()).isEqualTo(audit.publishedDigest());
                });
                assertThat(deadLetterKeys(stack, topics)).filteredOn(letteredKey::equals).hasSize(1);
            }
        }
    }

    private static MycroftStreamsApp start(Map<String, String> settings, Path stateDir) {
        Map<String, String> instance = new HashMap<>(settings);
        instance.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        MycroftStreamsApp app = new MycroftStreamsApp(MycroftStreamsConfig.of(instance));
        app.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> app.streams().state() == KafkaStreams.State.RUNNING);
        return app;
    }

    /** Waits until every owner's published subset state has counted {@code samples} samples. */
    private static void awaitSamplesSeen(MycroftStreamsApp app, String request, long samples) {
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().untilAsserted(() -> {
            for (String owner : OWNERS) {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort()
                        + "/requests/" + request + "/owners/" + owner + "/subset")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(JSON.readTree(response.body()).get("samplesSeen").asLong()).isEqualTo(samples);
            }
        });
    }

    private static long duplicateSamples(MycroftStreamsApp app, String request, String owner) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort()
                + "/requests/" + request + "/owners/" + owner + "/subset")).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body()).get("duplicateSamples").asLong();
    }

    private static double metric(MycroftStreamsApp app, String name) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith(name)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** The keys of every committed record on {@code dead-letters}, read from the start to the end offsets. */
    private static List<String> deadLetterKeys(StackProperties stack, Topics topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.deadLetters().name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> keys.add(record.key()));
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
            });
        }
        return keys;
    }

    private static void send(KafkaProducer<String, byte[]> producer, Topics topics, List<SampleVectors> batches) throws Exception {
        String topic = topics.sampleVectors().name();
        for (SampleVectors batch : batches) {
            // As the worker sends them: every owner's records of a request in the request's partition.
            int partition = Keys.requestPartition(batch.getRequestId(), producer.partitionsFor(topic).size());
            producer.send(new ProducerRecord<>(topic, partition, Keys.requestOwner(batch.getRequestId(), batch.getOwnerId()),
                    topics.sampleVectors().valueSerde().serializer().serialize(topic, batch))).get();
        }
    }

    private static KafkaProducer<String, byte[]> producer(StackProperties stack) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
