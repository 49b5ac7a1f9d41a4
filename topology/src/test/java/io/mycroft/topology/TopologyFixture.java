package io.mycroft.topology;

import io.mycroft.processors.SelectionRecords;
import io.mycroft.processors.UsefulSubsetProcessor;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.InMemorySchemaRegistry;
import io.mycroft.schemas.serde.SerdeConfig;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.Evaluation;
import mycroft.schemas.ExposureEntry;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.OwnerPolicy;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/** A TopologyTestDriver over {@link MycroftTopology} with a private in-memory registry (records: {@link SelectionRecords}). */
final class TopologyFixture implements AutoCloseable {
    final String scope = "topology-" + UUID.randomUUID();
    final MycroftStreamsConfig config;
    final Topics topics;
    final TopologyTestDriver driver;
    final TestInputTopic<String, HardSetVectors> hardsets;
    final TestInputTopic<String, SampleVectors> samples;
    final TestInputTopic<byte[], byte[]> rawSamples;
    final TestInputTopic<byte[], byte[]> rawHardsets;
    final TestInputTopic<String, Evaluation> evaluations;
    final TestOutputTopic<String, SubsetUpdate> updates;
    final TestOutputTopic<String, OwnerRanking> rankings;
    final TestOutputTopic<String, DeadLetter> deadLetters;
    final TestInputTopic<String, OwnerPolicy> policies;
    final TestOutputTopic<String, ExposureEntry> ledger;

    TopologyFixture(Map<String, String> overrides) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(SerdeConfig.REGISTRY_URL, "mock://" + scope,
                MycroftStreamsConfig.RANKING_EMIT_INTERVAL_MS, "0",
                MycroftStreamsConfig.PENDING_TIMEOUT_MS, "60000",
                MycroftStreamsConfig.MAX_BATCH_SAMPLES, "100"));
        // Each driver its own state directory: tests, and builds of other checkouts, run side by side.
        settings.put(org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG, tempDir().toString());
        settings.putAll(overrides);
        config = MycroftStreamsConfig.of(settings);
        topics = config.topics();
        Properties props = config.streamsProperties();
        driver = new TopologyTestDriver(MycroftTopology.build(config), props, SelectionRecords.T0);
        hardsets = input(topics.hardsetVectors());
        samples = input(topics.sampleVectors());
        rawSamples = driver.createInputTopic(topics.sampleVectors().name(),
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer(), SelectionRecords.T0, java.time.Duration.ZERO);
        rawHardsets = driver.createInputTopic(topics.hardsetVectors().name(), new ByteArraySerializer(), new ByteArraySerializer(),
                SelectionRecords.T0, java.time.Duration.ZERO);
        evaluations = input(topics.evaluations());
        updates = output(topics.subsetUpdates());
        rankings = output(topics.ownerRankings());
        deadLetters = output(topics.deadLetters());
        policies = input(topics.ownerPolicies());
        ledger = output(topics.exposureLedger());
    }

    private static java.nio.file.Path tempDir() {
        try {
            return java.nio.file.Files.createTempDirectory("mycroft-topology-test-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    TopologyFixture() {
        this(Map.of());
    }

    private <V> TestInputTopic<String, V> input(io.mycroft.schemas.Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(),
                SelectionRecords.T0, java.time.Duration.ofMillis(1));
    }

    private <V> TestOutputTopic<String, V> output(io.mycroft.schemas.Topic<String, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    /** The pair's subset as it stands (GET /requests/{id}/owners/{owner}/subset), or null. */
    SubsetUpdate subset(String requestOwner) {
        return UsefulSubsetProcessor.current(driver.<String, SubsetUpdate>getKeyValueStore(UsefulSubsetProcessor.SUBSETS).get(requestOwner),
                driver.<String, byte[]>getKeyValueStore(UsefulSubsetProcessor.SUBSET_COUNTS).get(requestOwner));
    }

    void send(SampleVectors batch) {
        samples.pipeInput(Keys.requestOwner(batch.getRequestId(), batch.getOwnerId()), batch);
    }

    @Override
    public void close() {
        driver.close();
        InMemorySchemaRegistry.dropScope(scope);
    }
}
