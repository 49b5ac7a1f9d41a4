package io.mycroft.topology;

import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.InMemorySchemaRegistry;
import io.mycroft.schemas.serde.SerdeConfig;
import mycroft.schemas.ClassTarget;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.Evaluation;
import mycroft.schemas.HardSampleVector;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/** A TopologyTestDriver over {@link MycroftTopology} with a private in-memory registry, and builders of its records. */
final class TopologyFixture implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final String scope = "topology-" + UUID.randomUUID();
    final MycroftStreamsConfig config;
    final Topics topics;
    final TopologyTestDriver driver;
    final TestInputTopic<String, HardSetVectors> hardsets;
    final TestInputTopic<String, SampleVectors> samples;
    final TestInputTopic<byte[], byte[]> rawSamples;
    final TestInputTopic<String, Evaluation> evaluations;
    final TestOutputTopic<String, SubsetUpdate> updates;
    final TestOutputTopic<String, OwnerRanking> rankings;
    final TestOutputTopic<String, DeadLetter> deadLetters;

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
        driver = new TopologyTestDriver(MycroftTopology.build(config), props, T0);
        hardsets = input(topics.hardsetVectors());
        samples = input(topics.sampleVectors());
        rawSamples = driver.createInputTopic(topics.sampleVectors().name(),
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer(), T0, java.time.Duration.ZERO);
        evaluations = input(topics.evaluations());
        updates = output(topics.subsetUpdates());
        rankings = output(topics.ownerRankings());
        deadLetters = output(topics.deadLetters());
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
                T0, java.time.Duration.ofMillis(1));
    }

    private <V> TestOutputTopic<String, V> output(io.mycroft.schemas.Topic<String, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    void send(SampleVectors batch) {
        samples.pipeInput(Keys.requestOwner(batch.getRequestId(), batch.getOwnerId()), batch);
    }

    @Override
    public void close() {
        driver.close();
        InMemorySchemaRegistry.dropScope(scope);
    }

    /** A hard set of one or more classes; {@code targets[c]} is y_c, {@code hard[c]} the hard embeddings of class c. */
    static HardSetVectors hardSet(String requestId, SelectionMethod method, int k, int[] labels, float[][] targets,
                                  float[][][] hard) {
        List<ClassTarget> classes = new java.util.ArrayList<>();
        for (int c = 0; c < labels.length; c++) {
            List<HardSampleVector> hardSamples = new java.util.ArrayList<>();
            for (int h = 0; h < hard[c].length; h++) {
                hardSamples.add(new HardSampleVector("h" + labels[c] + "-" + h, FloatVectors.of(hard[c][h])));
            }
            classes.add(new ClassTarget(labels[c], FloatVectors.of(targets[c]), hardSamples));
        }
        return HardSetVectors.newBuilder().setRequestId(requestId).setModelId("mlp").setModelVersion(1).setMethod(method)
                .setPerHardSample(k).setOptions(SelectionOptions.newBuilder().build())
                .setGradientDim(targets[0].length).setEmbeddingDim(hard[0][0].length).setClasses(classes)
                .setComputedAt(T0).build();
    }

    static SampleVector sample(String id, int label, float[] gradient, float[] embedding) {
        return new SampleVector(id, label, gradient == null ? null : FloatVectors.of(gradient),
                embedding == null ? null : FloatVectors.of(embedding), 0.5f, ByteBuffer.wrap(new byte[32]), 0L);
    }

    static SampleVectors batch(String requestId, String ownerId, SampleVector... samples) {
        return new SampleVectors(requestId, ownerId, 1, List.of(samples));
    }
}
