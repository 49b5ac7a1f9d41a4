package io.mycroft.topology;

import io.mycroft.processors.SelectionRecords;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.TestStack;
import io.mycroft.schemas.ExampleRecords;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.ExposureEntry;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Streams app on the real local stack (broker, registry): two instances of one application over the 4-partition
 * topics, fed hard-set and sample vectors, both answering the REST API for every key, and dead letters for bad bytes.
 * The REST API needs bearer tokens (a token file): the operator's reads everything, trainer it's its own request's
 * ranking, owner alpha's alpha's subset only.
 */
class StreamsAppIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> OWNERS = List.of("alpha", "bravo", "charlie", "delta", "echo");
    /** An owner with its own producer, writing its own topic owner-samples.own-producer. */
    private static final String OWN_PRODUCER = "own-producer";
    private static StackProperties stack;
    private static Topics topics;
    private static MycroftStreamsConfig config;
    private static final List<MycroftStreamsApp> apps = new ArrayList<>();
    private static String operatorToken;
    private static String trainerToken;
    private static String otherTrainerToken;
    private static String alphaToken;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        stack = TestStack.shared();
        Path tokenFile = Files.createTempDirectory("streams-it-tokens").resolve("rest-tokens");
        operatorToken = RestTokens.issue(tokenFile, "ops", "operator");
        trainerToken = RestTokens.issue(tokenFile, "it-trainer", "trainer:it");
        otherTrainerToken = RestTokens.issue(tokenFile, "other-trainer", "trainer:other");
        alphaToken = RestTokens.issue(tokenFile, "alpha-owner", "owner:alpha");
        Map<String, String> settings = Map.of(
                MycroftStreamsConfig.REST_TOKENS_FILE, tokenFile.toString(),
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                SerdeConfig.REGISTRY_URL, stack.schemaRegistryUrl(),
                // A fresh application id: re-joining an old group right after it closed takes ~30 s here.
                StreamsConfig.APPLICATION_ID_CONFIG, "streams-it-" + UUID.randomUUID(),
                MycroftStreamsConfig.RANKING_EMIT_INTERVAL_MS, "200",
                MycroftStreamsConfig.HTTP_PORT, "0");
        config = MycroftStreamsConfig.of(settings);
        topics = config.topics();
        // Trainer it's own request topic and an owner's own topic, there before the apps start, so their pattern
        // subscription and the dashboard have them at once.
        NewTopic twin = new NewTopic(topics.trainerTwin(Topics.HARDSET_REQUESTS, "it").name(), 1, (short) 1)
                .configs(Topics.HARDSET_REQUESTS.configs());
        NewTopic ownerTopic = new NewTopic(topics.ownerIngestion(OWN_PRODUCER).name(), 1, (short) 1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(twin, ownerTopic)).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        for (int i = 0; i < 2; i++) {
            Map<String, String> instance = new HashMap<>(settings);
            instance.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("streams-it-" + i).toString());
            MycroftStreamsApp app = new MycroftStreamsApp(MycroftStreamsConfig.of(instance));
            apps.add(app);
            app.start();
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> apps.stream().allMatch(a -> a.streams().state() == KafkaStreams.State.RUNNING));
    }

    @AfterAll
    static void stop() {
        apps.forEach(MycroftStreamsApp::close);
    }

    @Test
    void rankingsAppearOnTheTopicAndEveryInstanceAnswersForEveryKey() throws Exception {
        String request = "it." + UUID.randomUUID(); // trainer it's
        Random random = new Random(1);
        float[] y = SelectionRecords.gaussian(random, 8);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, topics.hardsetVectors().name(), request, topics.hardsetVectors().valueSerde().serializer()
                    .serialize(topics.hardsetVectors().name(), SelectionRecords.gradientHardSet(request, y)));
            for (int o = 0; o < OWNERS.size(); o++) {
                List<SampleVector> samples = new ArrayList<>();
                for (int s = 0; s < 20; s++) {
                    // Owner o's samples lean towards y with weight 1 − o/5: alpha's match best, echo's not at all.
                    float[] g = SelectionRecords.gaussian(random, 8);
                    for (int i = 0; i < g.length; i++) {
                        g[i] = (float) (0.3 * g[i] + (1 - o / 5.0) * y[i]);
                    }
                    samples.add(new SampleVector(OWNERS.get(o) + "-" + s, 1, FloatVectors.of(g), null, 0.3f,
                            SelectionRecords.digestOf(g), (long) s, null));
                }
                SampleVectors batch = new SampleVectors(request, OWNERS.get(o), 1, samples);
                send(producer, topics.sampleVectors().name(), Keys.requestOwner(request, OWNERS.get(o)),
                        topics.sampleVectors().valueSerde().serializer().serialize(topics.sampleVectors().name(), batch));
            }
        }

        OwnerRanking ranking = awaitRecord(topics.ownerRankings().name(), request,
                r -> r.getOwners().size() == OWNERS.size(), Duration.ofSeconds(60));
        assertThat(ranking.getOwners()).extracting(o -> o.getOwnerId()).first().isEqualTo("alpha");
        assertThat(ranking.getOwners()).extracting(o -> o.getRank()).containsExactly(1, 2, 3, 4, 5);

        for (MycroftStreamsApp app : apps) {
            JsonNode served = get(app, "/requests/" + request + "/ranking");
            assertThat(served.get("owners")).hasSize(OWNERS.size());
            assertThat(served.get("owners").get(0).get("ownerId").asText()).isEqualTo("alpha");
            for (String owner : OWNERS) {
                JsonNode subset = get(app, "/requests/" + request + "/owners/" + owner + "/subset");
                assertThat(subset.get("ownerId").asText()).isEqualTo(owner);
                assertThat(subset.get("classes").get(0).get("selected").size()).isBetween(1, 4);
            }
            assertThat(get(app, "/health", null).get("state").asText()).isEqualTo("RUNNING");
            // Scoped tokens, on both instances (one of them forwards each key to the other with the caller's token).
            assertThat(get(app, "/requests/" + request + "/ranking", trainerToken).get("owners")).hasSize(OWNERS.size());
            assertThat(status(app, "/requests/" + request + "/ranking", otherTrainerToken)).isEqualTo(403);
            assertThat(status(app, "/requests/" + request + "/ranking", alphaToken)).isEqualTo(403);
            assertThat(status(app, "/requests/" + request + "/ranking", null)).isEqualTo(401);
            assertThat(get(app, "/requests/" + request + "/owners/alpha/subset", alphaToken).get("ownerId").asText()).isEqualTo("alpha");
            assertThat(status(app, "/requests/" + request + "/owners/bravo/subset", alphaToken)).isEqualTo(403);
            assertThat(status(app, "/owners/bravo/exposure", alphaToken)).isEqualTo(403);
        }
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apps.get(0).httpPort() + "/metrics"))
                .header("Authorization", "Bearer " + operatorToken).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("mycroft_samples_processed_total").contains("kafka_stream");

        assertThat(firstServerSentEvent(apps.get(1), request)).contains("\"ownerId\":\"alpha\"");

        // Rankings are sent at most every 200 ms: wait for the published one to settle before auditing it.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            AuditReplay.Result audit = AuditReplay.replay(config, request);
            assertThat(audit.differences()).isEmpty();
            assertThat(audit.owners()).isEqualTo(OWNERS.size());
            assertThat(audit.inputRecords()).isEqualTo(1 + OWNERS.size());
            assertThat(audit.replayedDigest()).isEqualTo(audit.publishedDigest());
        });

        // The exposure ledger on the broker: one entry per published subset update, naming exactly its ids, and every
        // instance serves each owner's summary.
        List<SubsetUpdate> published = readAll(topics.subsetUpdates(), u -> u.getRequestId().equals(request));
        List<ExposureEntry> ledger = readAll(topics.exposureLedger(), e -> e.getRequestId().equals(request));
        assertThat(ledger).hasSameSizeAs(published);
        for (String owner : OWNERS) {
            List<List<String>> revealed = published.stream().filter(u -> u.getOwnerId().equals(owner)).map(u -> u.getClasses()
                    .stream().flatMap(c -> c.getSelected().stream().map(s -> s.getSampleId())).toList()).toList();
            assertThat(ledger.stream().filter(e -> e.getOwnerId().equals(owner)).map(ExposureEntry::getSampleIds).toList())
                    .as(owner).isEqualTo(revealed);
            for (MycroftStreamsApp app : apps) {
                JsonNode exposure = null;
                for (JsonNode r : get(app, "/owners/" + owner + "/exposure").get("requests")) {
                    exposure = r.get("requestId").asText().equals(request) ? r : exposure;
                }
                assertThat(exposure).as(owner).isNotNull();
                assertThat(exposure.get("subsetReveals").asLong()).isEqualTo(revealed.size());
                assertThat(JSON.convertValue(exposure.get("revealedSampleIds"), List.class))
                        .containsAll(revealed.get(revealed.size() - 1));
            }
        }
    }

    /** Every record of {@code topic} from offset 0 to its current end whose value passes {@code keep}, per partition in offset order. */
    private static <V> List<V> readAll(io.mycroft.schemas.Topic<String, V> topic, Predicate<V> keep) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(p, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(topic.name(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(250))) {
                    if (record.value() != null && keep.test(record.value())) {
                        out.add(record.value());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void undecodableBytesBecomeDeadLettersAndTheAppKeepsRunning() throws Exception {
        String key = Keys.requestOwner("it-dlq-" + UUID.randomUUID(), "owner");
        byte[] garbage = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, topics.sampleVectors().name(), key, garbage);
        }
        DeadLetter letter = awaitRecord(topics.deadLetters().name(), key, l -> true, Duration.ofSeconds(60));
        assertThat(letter.getReason()).startsWith("BAD_MAGIC");
        assertThat(letter.getTopic()).isEqualTo(topics.sampleVectors().name());
        assertThat(letter.getOriginalValue().array()).isEqualTo(garbage);
        assertThat(apps).allSatisfy(a -> assertThat(a.streams().state()).isEqualTo(KafkaStreams.State.RUNNING));
    }

    /**
     * Issue 17: garbage on hardset-vectors killed the app (ClassCastException in the global thread's handler), and a
     * batch whose owner id holds '|' stopped it on every restart. Both are lettered with their real offsets now.
     */
    @Test
    void garbageOnTheGlobalTableAndABadOwnerIdAreLetteredAndTheAppKeepsRunning() throws Exception {
        String request = "it-global-" + UUID.randomUUID();
        byte[] garbage = {0, 0x7f, 1, 2, 3, 4, 5};
        String badKey = Keys.requestOwner(request + "-b", "x") + "|y";
        SampleVectors badOwner = new SampleVectors(request + "-b", "x|y", 1, List.of(new SampleVector("s", 1,
                FloatVectors.of(1f, 0f), null, 0.3f, ByteBuffer.wrap(new byte[32]), 0L, null)));
        long garbageOffset;
        long badOwnerOffset;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            garbageOffset = producer.send(new ProducerRecord<>(topics.hardsetVectors().name(), request, garbage)).get().offset();
            badOwnerOffset = producer.send(new ProducerRecord<>(topics.sampleVectors().name(), badKey, topics.sampleVectors()
                    .valueSerde().serializer().serialize(topics.sampleVectors().name(), badOwner))).get().offset();
        }
        DeadLetter global = awaitRecord(topics.deadLetters().name(), request, l -> true, Duration.ofSeconds(60));
        assertThat(global.getReason()).startsWith("UNKNOWN_SCHEMA_ID");
        assertThat(global.getTopic()).isEqualTo(topics.hardsetVectors().name());
        assertThat(global.getOffset()).isEqualTo(garbageOffset);
        assertThat(global.getOriginalValue().array()).isEqualTo(garbage);
        DeadLetter owner = awaitRecord(topics.deadLetters().name(), badKey, l -> true, Duration.ofSeconds(60));
        assertThat(owner.getReason()).isEqualTo("ownerId 'x|y' contains '|', which separates key parts");
        assertThat(owner.getOffset()).isEqualTo(badOwnerOffset);
        assertThat(apps).allSatisfy(a -> assertThat(a.streams().state()).isEqualTo(KafkaStreams.State.RUNNING));
    }

    /**
     * The gate on a real broker: trainer it's own request (and its withdrawal) reaches hardset-requests byte for byte;
     * another trainer's id on it's topic is dead-lettered with the reason and never reaches it.
     */
    @Test
    void aTrainersTopicPassesItsOwnRequestsToTheSharedTopicAndLettersForeignOnes() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String own = "it.gate-" + run;
        String foreignKey = "it.foreign-" + run;
        String twin = topics.trainerTwin(Topics.HARDSET_REQUESTS, "it").name();
        byte[] request = topics.hardsetRequests().valueSerde().serializer().serialize(twin,
                HardSetRequest.newBuilder(ExampleRecords.request()).setRequestId(own).build());
        byte[] foreign = topics.hardsetRequests().valueSerde().serializer().serialize(twin,
                HardSetRequest.newBuilder(ExampleRecords.request()).setRequestId("other.gate-" + run).build());
        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, twin, foreignKey, foreign);
            send(producer, twin, own, request);
            send(producer, twin, own, null);
        }
        List<ConsumerRecord<String, byte[]>> copied = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> shared = rawReader()) {
            shared.subscribe(List.of(topics.hardsetRequests().name()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                shared.poll(Duration.ofMillis(250)).forEach(r -> {
                    if (r.key().endsWith(run)) {
                        copied.add(r);
                    }
                });
                return copied.size() == 2;
            });
        }
        assertThat(copied).extracting(ConsumerRecord::key).containsExactly(own, own);
        assertThat(copied.get(0).value()).isEqualTo(request);
        assertThat(copied.get(1).value()).isNull();
        DeadLetter letter = awaitRecord(topics.deadLetters().name(), foreignKey, l -> true, Duration.ofSeconds(60));
        assertThat(letter.getReason()).isEqualTo("request id other.gate-" + run
                + " does not belong to the channel's trainer it (topic " + twin + ")");
        assertThat(letter.getOriginalValue().array()).isEqualTo(foreign);
    }

    @Test
    void theDashboardCountsWhatAnOwnerWroteToItsOwnTopicAsIngested() throws Exception {
        String request = "it-dash-" + UUID.randomUUID().toString().substring(0, 8);
        SampleVectors batch = new SampleVectors(request, OWN_PRODUCER, 1, List.of(new SampleVector("s", 1,
                FloatVectors.of(1f, 0f), null, 0.3f, ByteBuffer.wrap(new byte[32]), 0L, null)));
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < 3; i++) { // the feed counts records, it does not decode them
                send(producer, topics.ownerIngestion(OWN_PRODUCER).name(), "key-" + i, new byte[]{(byte) i});
            }
            send(producer, topics.sampleVectors().name(), Keys.requestOwner(request, OWN_PRODUCER),
                    topics.sampleVectors().valueSerde().serializer().serialize(topics.sampleVectors().name(), batch));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get(apps.get(0), "/requests/" + request
                + "/progress").path("owners").path(OWN_PRODUCER).path("ingested").asLong()).isEqualTo(3));
    }

    private static KafkaConsumer<String, byte[]> rawReader() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    @SuppressWarnings("unchecked")
    private static <V> V awaitRecord(String topic, String key, Predicate<V> accept, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var serde = topic.equals(topics.deadLetters().name()) ? topics.deadLetters().valueSerde() : topics.ownerRankings().valueSerde();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(p, new org.apache.kafka.common.serialization.StringDeserializer(),
                (org.apache.kafka.common.serialization.Deserializer<Object>) (Object) serde.deserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(250))) {
                    if (key.equals(record.key()) && record.value() != null && accept.test((V) record.value())) {
                        return (V) record.value();
                    }
                }
            }
        }
        throw new AssertionError("no matching record for " + key + " on " + topic + " within " + timeout);
    }

    /** GET as the operator. */
    private static JsonNode get(MycroftStreamsApp app, String path) throws Exception {
        return get(app, path, operatorToken);
    }

    private static JsonNode get(MycroftStreamsApp app, String path, String token) throws Exception {
        HttpResponse<String> response = send(app, path, token);
        assertThat(response.statusCode()).as(path + " -> " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static int status(MycroftStreamsApp app, String path, String token) throws Exception {
        return send(app, path, token).statusCode();
    }

    private static HttpResponse<String> send(MycroftStreamsApp app, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String firstServerSentEvent(MycroftStreamsApp app, String request) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort()
                + "/requests/" + request + "/ranking/stream")).header("Accept", "text/event-stream") // as EventSource sends it
                .header("Cookie", RestAuth.COOKIE + "=" + trainerToken) // as the dashboard page sends its token
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            Optional<String> data = lines.lines().filter(l -> l.startsWith("data:")).findFirst();
            return data.orElseThrow();
        }
    }
}
