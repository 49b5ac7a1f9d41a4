package io.mycroft.loadtests.fuzz;

import io.mycroft.processors.UsefulSubsetProcessor;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.InMemorySchemaRegistry;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.topology.MycroftStreamsConfig;
import io.mycroft.topology.MycroftTopology;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.RankedOwner;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SubsetUpdate;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static io.mycroft.processors.SelectionRecords.T0;
import static io.mycroft.processors.SelectionRecords.hardSet;
import static io.mycroft.processors.SelectionRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@code sample-vectors}, the Streams app's main input, through the whole topology (TopologyTestDriver): valid
 * batches mixed with mutated ones (bit flips, truncation, random bytes, tombstones, bad keys and ids, unknown
 * requests, wrong dims, NaN/±Inf, zero or missing gradients, oversize batches, another model version, huge values).
 * Every record must be dead-lettered at most once; each that is unusable by construction exactly once, with its
 * original bytes and its offset; the valid ones must all be counted in their owner's subset and every owner with a
 * valid batch must be ranked; the app must never stop (a failure would throw out of {@code pipeInput}).
 */
class SampleVectorsFuzzTest {
    private static final int[] ONE_CLASS = {3};
    private static final int MAX_BATCH = 20;

    /** What a record is made into, and what must happen to it. */
    private enum Kind {
        VALID(Fate.USED), FLIPPED(Fate.EITHER), HUGE(Fate.EITHER),
        TRUNCATED(Fate.LETTERED), GARBAGE(Fate.LETTERED), TOMBSTONE(Fate.LETTERED), KEY_NOT_UTF8(Fate.LETTERED),
        KEY_MISMATCH(Fate.LETTERED), OWNER_WITH_SEPARATOR(Fate.LETTERED), EMPTY_OWNER(Fate.LETTERED), NO_KEY(Fate.LETTERED),
        UNKNOWN_REQUEST(Fate.LETTERED), OVERSIZE(Fate.LETTERED), OTHER_MODEL_VERSION(Fate.LETTERED),
        // One bad sample among good ones: the record is lettered once and its good samples are used.
        WRONG_DIM(Fate.LETTERED_AND_USED), NAN(Fate.LETTERED_AND_USED), INFINITE(Fate.LETTERED_AND_USED),
        ZERO(Fate.LETTERED_AND_USED), NO_GRADIENT(Fate.LETTERED_AND_USED), EMPTY_SAMPLE_ID(Fate.LETTERED_AND_USED);

        final Fate fate;

        Kind(Fate fate) {
            this.fate = fate;
        }
    }

    private enum Fate { USED, LETTERED, LETTERED_AND_USED, EITHER }

    private record Sent(Kind kind, String owner, byte[] key, byte[] value, int samples) {
    }

    @Test
    void everyUnusableRecordIsLetteredOnceValidOnesAreUsedAndTheAppGoesOn() throws Exception {
        long started = System.nanoTime();
        String scope = "fuzz-" + UUID.randomUUID();
        MycroftStreamsConfig config = MycroftStreamsConfig.of(Map.of(SerdeConfig.REGISTRY_URL, "mock://" + scope,
                MycroftStreamsConfig.RANKING_EMIT_INTERVAL_MS, "0", MycroftStreamsConfig.PENDING_TIMEOUT_MS, "60000",
                MycroftStreamsConfig.MAX_BATCH_SAMPLES, String.valueOf(MAX_BATCH),
                StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("mycroft-fuzz-").toString()));
        Topics topics = config.topics();
        Topic<String, SampleVectors> samplesTopic = topics.sampleVectors();
        Random random = new Random(17);
        Map<Long, Sent> sent = new TreeMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(MycroftTopology.build(config), config.streamsProperties(), T0)) {
            driver.createInputTopic(topics.hardsetVectors().name(), topics.hardsetVectors().keySerde().serializer(),
                            topics.hardsetVectors().valueSerde().serializer(), T0, Duration.ZERO)
                    .pipeInput("r1", hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, new float[][]{{1f, 0f, 0f}},
                            new float[][][]{{{1f, 0f}}}));
            TestInputTopic<byte[], byte[]> samples = driver.createInputTopic(samplesTopic.name(), new ByteArraySerializer(),
                    new ByteArraySerializer(), T0, Duration.ZERO);
            TestOutputTopic<String, DeadLetter> letters = driver.createOutputTopic(topics.deadLetters().name(),
                    topics.deadLetters().keySerde().deserializer(), topics.deadLetters().valueSerde().deserializer());
            TestOutputTopic<String, OwnerRanking> rankings = driver.createOutputTopic(topics.ownerRankings().name(),
                    topics.ownerRankings().keySerde().deserializer(), topics.ownerRankings().valueSerde().deserializer());

            Kind[] kinds = Kind.values();
            List<DeadLetter> lettered = new ArrayList<>();
            OwnerRanking lastRanking = null;
            for (long offset = 0; offset < Mutations.RECORDS; offset++) {
                // Half valid, half spread over the mutations.
                Kind kind = random.nextBoolean() ? Kind.VALID : kinds[1 + random.nextInt(kinds.length - 1)];
                Sent record = record(kind, offset, random, samplesTopic);
                sent.put(offset, record);
                samples.pipeInput(record.key(), record.value());
                if (offset % 500 == 499) { // drain as we go: the driver keeps outputs in memory
                    lettered.addAll(letters.readValuesToList());
                    List<OwnerRanking> batch = rankings.readValuesToList();
                    lastRanking = batch.isEmpty() ? lastRanking : batch.get(batch.size() - 1);
                }
            }
            driver.advanceWallClockTime(Duration.ofSeconds(61)); // batches of unknown requests time out
            lettered.addAll(letters.readValuesToList());
            List<OwnerRanking> batch = rankings.readValuesToList();
            lastRanking = batch.isEmpty() ? lastRanking : batch.get(batch.size() - 1);

            Map<Long, List<DeadLetter>> byOffset = new HashMap<>();
            for (DeadLetter letter : lettered) {
                assertThat(letter.getTopic()).isEqualTo(samplesTopic.name());
                assertThat(letter.getPartition()).isEqualTo(0);
                byOffset.computeIfAbsent(letter.getOffset(), o -> new ArrayList<>()).add(letter);
            }
            Map<String, Long> expectedSeen = new TreeMap<>();
            Set<String> rankedOwners = new TreeSet<>();
            for (Map.Entry<Long, Sent> e : sent.entrySet()) {
                Sent s = e.getValue();
                List<DeadLetter> of = byOffset.getOrDefault(e.getKey(), List.of());
                assertThat(of.size()).as("letters of offset %d (%s)", e.getKey(), s.kind()).isLessThanOrEqualTo(1);
                switch (s.kind().fate) {
                    case USED -> assertThat(of).as("offset %d (%s)", e.getKey(), s.kind()).isEmpty();
                    case LETTERED, LETTERED_AND_USED -> {
                        assertThat(of).as("offset %d (%s)", e.getKey(), s.kind()).hasSize(1);
                        byte[] original = of.get(0).getOriginalValue() == null ? null : of.get(0).getOriginalValue().array();
                        assertThat(original).as("original bytes of offset %d", e.getKey()).isEqualTo(s.value());
                        assertThat(of.get(0).getReason()).isNotBlank();
                    }
                    case EITHER -> {
                        if (of.isEmpty() && s.kind() == Kind.FLIPPED) {
                            samplesTopic.valueSerde().deserializer().deserialize(samplesTopic.name(), s.value()); // decodes
                        }
                    }
                }
                if (s.kind().fate == Fate.USED || s.kind().fate == Fate.LETTERED_AND_USED) {
                    expectedSeen.merge("r1|" + s.owner(), (long) s.samples(), Long::sum);
                }
                if (s.kind() == Kind.VALID) {
                    rankedOwners.add(s.owner());
                }
            }
            KeyValueStore<String, SubsetUpdate> subsets = driver.getKeyValueStore(UsefulSubsetProcessor.SUBSETS);
            KeyValueStore<String, byte[]> counts = driver.getKeyValueStore(UsefulSubsetProcessor.SUBSET_COUNTS);
            expectedSeen.forEach((key, seen) -> assertThat(UsefulSubsetProcessor.current(subsets.get(key), counts.get(key)).getSamplesSeen())
                    .as("samples seen of %s", key).isEqualTo(seen));
            assertThat(lastRanking).isNotNull();
            assertThat(lastRanking.getOwners()).extracting(RankedOwner::getOwnerId).containsAll(rankedOwners);

            long unusable = sent.values().stream().filter(s -> s.kind().fate == Fate.LETTERED || s.kind().fate == Fate.LETTERED_AND_USED).count();
            System.out.printf("fuzz sample-vectors: %d records, %d lettered (%d unusable by construction, %d of the flipped/huge), "
                            + "%d samples used, %.1f s%n", sent.size(), byOffset.size(), unusable, byOffset.size() - unusable,
                    expectedSeen.values().stream().mapToLong(Long::longValue).sum(), (System.nanoTime() - started) / 1e9);
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    /** The value bytes (and owner) of a record of {@code kind}; mutations of a valid batch start from its bytes. */
    private static Sent record(Kind kind, long offset, Random random, Topic<String, SampleVectors> topic) {
        String owner = switch (kind) {
            case FLIPPED -> "flipped";
            case HUGE -> "huge";
            default -> "o" + random.nextInt(8);
        };
        int n = 1 + random.nextInt(3);
        List<SampleVector> good = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            good.add(sample("s" + offset + "-" + i, 3, new float[]{1f + random.nextFloat(), random.nextFloat(), random.nextFloat()}, null));
        }
        SampleVectors valid = new SampleVectors("r1", owner, 1, good);
        SampleVectors batch = switch (kind) {
            case OWNER_WITH_SEPARATOR -> new SampleVectors("r1", owner + "|x", 1, good);
            case EMPTY_OWNER -> new SampleVectors("r1", "", 1, good);
            case UNKNOWN_REQUEST -> new SampleVectors("ghost" + offset, owner, 1, good);
            case OTHER_MODEL_VERSION -> new SampleVectors("r1", owner, 2, good);
            case OVERSIZE -> {
                List<SampleVector> many = new ArrayList<>();
                for (int i = 0; i <= MAX_BATCH; i++) {
                    many.add(sample("s" + offset + "-" + i, 3, new float[]{1f, i, 0f}, null));
                }
                yield new SampleVectors("r1", owner, 1, many);
            }
            case WRONG_DIM -> withBad(valid, sample("bad" + offset, 3, new float[]{1f, 0f}, null));
            case NAN -> withBad(valid, sample("bad" + offset, 3, new float[]{Float.NaN, 0f, 1f}, null));
            case INFINITE -> withBad(valid, sample("bad" + offset, 3, new float[]{1f, random.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY, 0f}, null));
            case ZERO -> withBad(valid, sample("bad" + offset, 3, new float[]{0f, 0f, 0f}, null));
            case NO_GRADIENT -> withBad(valid, sample("bad" + offset, 3, null, null));
            case EMPTY_SAMPLE_ID -> withBad(valid, sample("", 3, new float[]{1f, 0f, 0f}, null));
            case HUGE -> new SampleVectors("r1", owner, 1, List.of(sample("s" + offset, 3,
                    new float[]{Float.MAX_VALUE * (random.nextBoolean() ? 1 : -1), Float.MAX_VALUE, 1e-38f}, null)));
            default -> valid;
        };
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), batch);
        byte[] value = Mutations.value(kind, bytes, random);
        return new Sent(kind, owner, key(kind, batch.getRequestId(), owner, random), value, batch.getSamples().size());
    }

    private static SampleVectors withBad(SampleVectors valid, SampleVector bad) {
        List<SampleVector> samples = new ArrayList<>(valid.getSamples());
        samples.add(bad);
        return new SampleVectors(valid.getRequestId(), valid.getOwnerId(), valid.getModelVersion(), samples);
    }

    private static byte[] key(Kind kind, String requestId, String owner, Random random) {
        return switch (kind) {
            case KEY_NOT_UTF8 -> Mutations.notUtf8(random);
            case KEY_MISMATCH -> ("r1|not-" + owner).getBytes(StandardCharsets.UTF_8);
            case OWNER_WITH_SEPARATOR -> ("r1|" + owner + "|x").getBytes(StandardCharsets.UTF_8);
            case EMPTY_OWNER -> "r1|".getBytes(StandardCharsets.UTF_8);
            case NO_KEY -> null;
            default -> (requestId + "|" + owner).getBytes(StandardCharsets.UTF_8);
        };
    }
}
