package io.mycroft.loadtests.fuzz;

import io.mycroft.processors.OwnerRankingAggregator;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.InMemorySchemaRegistry;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.topology.MycroftStreamsConfig;
import io.mycroft.topology.MycroftTopology;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.Evaluation;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.RankedOwner;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static io.mycroft.processors.SelectionRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@code evaluations} through the topology: every unusable record (undecodable, bad ids, a key that is not
 * {@code requestId|ownerId}, NaN/±Inf accuracies) is lettered exactly once with its bytes and offset; tombstones are
 * skipped (see EvaluationCheck); every owner's ranked gain is that of its last valid evaluation; the app goes on.
 */
class EvaluationsFuzzTest {
    private enum Kind {
        VALID, FLIPPED, TRUNCATED, GARBAGE, TOMBSTONE, OWNER_WITH_SEPARATOR, EMPTY_REQUEST, KEY_MISMATCH, NAN, INFINITE, NOT_UTF8_KEY
    }

    private record Sent(Kind kind, String owner, byte[] value, double gain) {
    }

    @Test
    void everyUnusableEvaluationIsLetteredOnceAndValidOnesRank() throws Exception {
        long started = System.nanoTime();
        String scope = "fuzz-evaluations-" + UUID.randomUUID();
        MycroftStreamsConfig config = MycroftStreamsConfig.of(Map.of(SerdeConfig.REGISTRY_URL, "mock://" + scope,
                MycroftStreamsConfig.RANKING_EMIT_INTERVAL_MS, "0",
                StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("mycroft-fuzz-").toString()));
        Topics topics = config.topics();
        Topic<String, Evaluation> topic = topics.evaluations();
        Random random = new Random(29);
        Map<Long, Sent> sent = new TreeMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(MycroftTopology.build(config), config.streamsProperties(), T0)) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(topic.name(), new ByteArraySerializer(),
                    new ByteArraySerializer(), T0, Duration.ZERO);
            TestOutputTopic<String, DeadLetter> letters = driver.createOutputTopic(topics.deadLetters().name(),
                    topics.deadLetters().keySerde().deserializer(), topics.deadLetters().valueSerde().deserializer());
            TestOutputTopic<String, OwnerRanking> rankings = driver.createOutputTopic(topics.ownerRankings().name(),
                    topics.ownerRankings().keySerde().deserializer(), topics.ownerRankings().valueSerde().deserializer());
            List<DeadLetter> lettered = new ArrayList<>();
            Kind[] kinds = Kind.values();
            for (long offset = 0; offset < Mutations.RECORDS; offset++) {
                Kind kind = random.nextBoolean() ? Kind.VALID : kinds[1 + random.nextInt(kinds.length - 1)];
                String owner = kind == Kind.FLIPPED ? "flipped" : "o" + random.nextInt(8);
                double before = random.nextDouble();
                double after = random.nextDouble();
                Evaluation valid = new Evaluation("r1", owner, 1L, 4, before, after, 0.5, 0.6, offset, T0);
                Evaluation evaluation = switch (kind) {
                    case OWNER_WITH_SEPARATOR -> Evaluation.newBuilder(valid).setOwnerId(owner + "|x").build();
                    case EMPTY_REQUEST -> Evaluation.newBuilder(valid).setRequestId("").build();
                    case NAN -> Evaluation.newBuilder(valid).setHardAccuracyAfter(Double.NaN).build();
                    case INFINITE -> Evaluation.newBuilder(valid).setTestAccuracyBefore(Double.NEGATIVE_INFINITY).build();
                    default -> valid;
                };
                byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), evaluation);
                byte[] value = Mutations.value(kind, bytes, random);
                byte[] key = switch (kind) {
                    case KEY_MISMATCH -> ("r1|not-" + owner).getBytes(StandardCharsets.UTF_8);
                    case NOT_UTF8_KEY -> Mutations.notUtf8(random);
                    default -> (evaluation.getRequestId() + "|" + evaluation.getOwnerId()).getBytes(StandardCharsets.UTF_8);
                };
                sent.put(offset, new Sent(kind, owner, value, after - before));
                input.pipeInput(key, value);
                if (offset % 500 == 499) {
                    lettered.addAll(letters.readValuesToList());
                    rankings.readValuesToList();
                }
            }
            lettered.addAll(letters.readValuesToList());

            Map<Long, Integer> lettersOf = new HashMap<>();
            for (DeadLetter letter : lettered) {
                assertThat(letter.getTopic()).isEqualTo(topic.name());
                lettersOf.merge(letter.getOffset(), 1, Integer::sum);
                assertThat(letter.getOriginalValue().array()).isEqualTo(sent.get(letter.getOffset()).value());
            }
            Map<String, Double> lastGain = new TreeMap<>();
            for (Map.Entry<Long, Sent> e : sent.entrySet()) {
                int n = lettersOf.getOrDefault(e.getKey(), 0);
                Kind kind = e.getValue().kind();
                switch (kind) {
                    case VALID, TOMBSTONE -> assertThat(n).as("offset %d (%s)", e.getKey(), kind).isZero();
                    case FLIPPED -> assertThat(n).as("offset %d (%s)", e.getKey(), kind).isLessThanOrEqualTo(1);
                    default -> assertThat(n).as("offset %d (%s)", e.getKey(), kind).isEqualTo(1);
                }
                if (kind == Kind.VALID) {
                    lastGain.put(e.getValue().owner(), e.getValue().gain());
                }
            }
            KeyValueStore<String, OwnerRanking> store = driver.getKeyValueStore(OwnerRankingAggregator.RANKINGS);
            Map<String, Double> ranked = new TreeMap<>();
            store.get("r1").getOwners().forEach(o -> ranked.put(o.getOwnerId(), o.getEvaluationGain()));
            lastGain.forEach((owner, gain) -> assertThat(ranked.get(owner)).as("gain of %s", owner).isEqualTo(gain));
            assertThat(store.get("r1").getOwners()).extracting(RankedOwner::getOwnerId).doesNotContain("o0|x", "");
            System.out.printf("fuzz evaluations: %d records, %d lettered, %d valid ranked, %.1f s%n", sent.size(),
                    lettersOf.size(), sent.values().stream().filter(s -> s.kind() == Kind.VALID).count(),
                    (System.nanoTime() - started) / 1e9);
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }
}
