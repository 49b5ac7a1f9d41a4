package io.mycroft.topology;

import io.mycroft.loadtests.fuzz.Mutations;
import io.mycroft.processors.UsefulSubsetProcessor;
import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.InMemorySchemaRegistry;
import io.mycroft.schemas.serde.SerdeConfig;
import mycroft.schemas.ClassTarget;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.HardSampleVector;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.mycroft.processors.SelectionRecords.T0;
import static io.mycroft.processors.SelectionRecords.batch;
import static io.mycroft.processors.SelectionRecords.hardSet;
import static io.mycroft.processors.SelectionRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@code hardset-vectors}, the global table. Each record goes (under its own key) through the topology, where
 * an unusable one must stay out of the table and never stop the app, and through the deserializer and handler the
 * global thread uses, where exactly the records kept out must make exactly one letter, with their bytes and offset.
 * (TopologyTestDriver runs the global thread with a log-and-continue handler of its own, hence the second pass.)
 * Valid hard sets must be in the table and serve the samples of their request.
 */
class HardSetVectorsFuzzTest {
    private enum Kind {
        VALID(true), FLIPPED(null), TRUNCATED(false), GARBAGE(false), ID_WITH_SEPARATOR(false), EMPTY_ID(false),
        NO_CLASSES(false), K_ZERO(false), BUDGET_ZERO(false), NO_HARD_SAMPLES(false), WRONG_TARGET_DIM(false),
        NAN_TARGET(false), INFINITE_EMBEDDING(false), EMPTY_HARD_SAMPLE_ID(false), HUGE_TARGET(null);

        /** Whether the record is usable by construction; null if the mutation may or may not leave it usable. */
        final Boolean usable;

        Kind(Boolean usable) {
            this.usable = usable;
        }
    }

    @Test
    void unusableHardSetsAreLetteredOnceKeptOutOfTheTableAndValidOnesServe() throws Exception {
        long started = System.nanoTime();
        String scope = "fuzz-hardsets-" + UUID.randomUUID();
        MycroftStreamsConfig config = MycroftStreamsConfig.of(Map.of(SerdeConfig.REGISTRY_URL, "mock://" + scope,
                MycroftStreamsConfig.RANKING_EMIT_INTERVAL_MS, "0",
                StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("mycroft-fuzz-").toString()));
        Topics topics = config.topics();
        Topic<String, HardSetVectors> topic = topics.hardsetVectors();
        MockProducer<byte[], byte[]> letters = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, Object> handlerConfig = new HashMap<>(config.asMap());
        handlerConfig.put(DeadLetterDeserializationHandler.GLOBAL_LETTERS_PRODUCER, letters);
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(handlerConfig);
        Deserializer<HardSetVectors> globalDeserializer = CheckedHardSets.serde(topic).deserializer();
        Random random = new Random(23);
        int used = 0;
        int lettered = 0;
        try (TopologyTestDriver driver = new TopologyTestDriver(MycroftTopology.build(config), config.streamsProperties(), T0)) {
            TestInputTopic<byte[], byte[]> hardsets = driver.createInputTopic(topic.name(), new ByteArraySerializer(),
                    new ByteArraySerializer(), T0, Duration.ZERO);
            KeyValueStore<String, ?> table = driver.getKeyValueStore(UsefulSubsetProcessor.HARDSETS);
            Kind[] kinds = Kind.values();
            String lastValid = null;
            for (long offset = 0; offset < Mutations.RECORDS; offset++) {
                Kind kind = random.nextBoolean() ? Kind.VALID : kinds[1 + random.nextInt(kinds.length - 1)];
                String id = "r" + offset;
                HardSetVectors hardSet = mutated(kind, id, random);
                byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), hardSet);
                byte[] value = switch (kind) {
                    case FLIPPED -> Mutations.flipBits(bytes, random);
                    case TRUNCATED -> Mutations.truncate(bytes, random);
                    case GARBAGE -> Mutations.garbage(random);
                    default -> bytes;
                };
                byte[] key = id.getBytes();
                hardsets.pipeInput(key, value);
                boolean inTable = table.get(id) != null;

                int before = letters.history().size();
                try {
                    assertThat(globalDeserializer.deserialize(topic.name(), value)).isNotNull();
                } catch (RuntimeException e) {
                    DeserializationExceptionHandler.Response response = handler.handleError(globalContext(topic.name(), offset, key, value),
                            new ConsumerRecord<>(topic.name(), 0, offset, key, value), e);
                    assertThat(response.result()).as("offset %d (%s): %s", offset, kind, e).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
                }
                int made = letters.history().size() - before;
                assertThat(made + (inTable ? 1 : 0)).as("offset %d (%s): in the table or lettered, once", offset, kind).isEqualTo(1);
                if (kind.usable != null) {
                    assertThat(inTable).as("offset %d (%s) in the table", offset, kind).isEqualTo(kind.usable);
                }
                if (made == 1) {
                    DeadLetter letter = topics.deadLetters().valueSerde().deserializer()
                            .deserialize(topics.deadLetters().name(), letters.history().get(before).value());
                    assertThat(letter.getOffset()).isEqualTo(offset);
                    assertThat(letter.getTopic()).isEqualTo(topic.name());
                    assertThat(letter.getOriginalValue().array()).isEqualTo(value);
                    lettered++;
                } else {
                    used++;
                    lastValid = kind == Kind.VALID ? id : lastValid;
                }
            }
            // The table serves: a batch for the last valid request is selected from.
            TestInputTopic<String, SampleVectors> samples = driver.createInputTopic(topics.sampleVectors().name(),
                    topics.sampleVectors().keySerde().serializer(), topics.sampleVectors().valueSerde().serializer(), T0, Duration.ZERO);
            TestOutputTopic<String, SubsetUpdate> updates = driver.createOutputTopic(topics.subsetUpdates().name(),
                    topics.subsetUpdates().keySerde().deserializer(), topics.subsetUpdates().valueSerde().deserializer());
            samples.pipeInput(lastValid + "|o", batch(lastValid, "o", sample("a", 3, new float[]{2f, 0f, 0f}, null)));
            assertThat(updates.readValuesToList()).hasSize(1);
            System.out.printf("fuzz hardset-vectors: %d records, %d lettered, %d in the table, %.1f s%n",
                    Mutations.RECORDS, lettered, used, (System.nanoTime() - started) / 1e9);
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    private static HardSetVectors mutated(Kind kind, String id, Random random) {
        HardSetVectors valid = hardSet(id, SelectionMethod.GRADIENT, 2, new int[]{3}, new float[][]{{1f, random.nextFloat(), 0f}},
                new float[][][]{{{1f, 0f}}});
        ClassTarget c = valid.getClasses().get(0);
        return switch (kind) {
            case ID_WITH_SEPARATOR -> HardSetVectors.newBuilder(valid).setRequestId(id + "|x").build();
            case EMPTY_ID -> HardSetVectors.newBuilder(valid).setRequestId("").build();
            case NO_CLASSES -> HardSetVectors.newBuilder(valid).setClasses(List.of()).build();
            case K_ZERO -> HardSetVectors.newBuilder(valid).setPerHardSample(0).build();
            case BUDGET_ZERO -> HardSetVectors.newBuilder(valid).setBudget(0).build();
            case NO_HARD_SAMPLES -> withClass(valid, new ClassTarget(3, c.getTargetGradient(), List.of(), null));
            case WRONG_TARGET_DIM -> withClass(valid, new ClassTarget(3, FloatVectors.of(new float[]{1f, 0f}), c.getHardSamples(), null));
            case NAN_TARGET -> withClass(valid, new ClassTarget(3, FloatVectors.of(new float[]{Float.NaN, 0f, 0f}), c.getHardSamples(), null));
            case INFINITE_EMBEDDING -> withClass(valid, new ClassTarget(3, c.getTargetGradient(),
                    List.of(new HardSampleVector("h", FloatVectors.of(new float[]{Float.POSITIVE_INFINITY, 0f}))), null));
            case EMPTY_HARD_SAMPLE_ID -> withClass(valid, new ClassTarget(3, c.getTargetGradient(),
                    List.of(new HardSampleVector("", FloatVectors.of(new float[]{1f, 0f}))), null));
            case HUGE_TARGET -> withClass(valid, new ClassTarget(3, FloatVectors.of(new float[]{Float.MAX_VALUE, Float.MAX_VALUE, 0f}),
                    c.getHardSamples(), null));
            default -> valid;
        };
    }

    private static HardSetVectors withClass(HardSetVectors valid, ClassTarget c) {
        return HardSetVectors.newBuilder(valid).setClasses(new ArrayList<>(List.of(c))).build();
    }

    /** The context Kafka Streams gives the handler on the global thread (task -1_-1). */
    private static ErrorHandlerContext globalContext(String topic, long offset, byte[] key, byte[] value) {
        return new ErrorHandlerContext() {
            public String topic() { return topic; }
            public int partition() { return 0; }
            public long offset() { return offset; }
            public Headers headers() { return new RecordHeaders(); }
            public String processorNodeId() { return "KSTREAM-SOURCE-0000000001"; }
            public TaskId taskId() { return new TaskId(-1, -1); }
            public long timestamp() { return T0.toEpochMilli(); }
            public byte[] sourceRawKey() { return key; }
            public byte[] sourceRawValue() { return value; }
        };
    }
}
