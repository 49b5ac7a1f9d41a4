package io.mycroft.loadtests.streams;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mycroft.processors.HardSetTable;
import io.mycroft.processors.UsefulSubsetProcessor;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.SelectionMethod;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * FEATURE's {@link UsefulSubsetProcessor} alone, without a broker (issue 14): the streams benchmark's records (one
 * request of 10 classes × 4 hard samples, k = 2; 8 owners' records of 50 distinct d = 128 embeddings, in the order the
 * benchmark produces them) handed as bytes to the processor on a mock context, over RocksDB stores as the topology
 * names them, without their changelogs and without the record cache the topology gives four of them (a mock context
 * has none): every put goes to RocksDB. From empty state, 1,000,000 samples an iteration; time per sample. What the
 * end-to-end benchmark adds is Kafka's (consumer, producer, commits, the caches) and the noise of a broker on the same
 * two cores.
 */
@State(Scope.Benchmark)
@Fork(value = 3, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+UseParallelGC", "-XX:+AlwaysPreTouch", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 4, batchSize = 1)
@Measurement(iterations = 4, batchSize = 1)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UsefulSubsetProcessorBenchmark {
    private static final String REQUEST = "bench-request";
    private static final int OWNERS = 8;
    private static final int PER_RECORD = 50;
    private static final int RECORDS_PER_OWNER = 2_500;
    private static final int SAMPLES = OWNERS * RECORDS_PER_OWNER * PER_RECORD;

    private final Topics topics = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, "mock://processor-benchmark"));
    private HardSetVectors hardSet;
    private byte[][] keys;
    private byte[][] values;
    private Path stateDir;
    private List<StateStore> stores;
    private MockProcessorContext<String, SpecificRecord> context;
    private UsefulSubsetProcessor processor;

    /** The streams benchmark's hard set and records ({@link StreamsThroughput#produce}'s, from the same seed). */
    @Setup(Level.Trial)
    public void records() {
        Random random = new Random(7);
        hardSet = StreamsThroughput.hardSet(random, REQUEST, SelectionMethod.FEATURE);
        keys = new byte[OWNERS * RECORDS_PER_OWNER][];
        values = new byte[keys.length][];
        for (int b = 0, r = 0; b < RECORDS_PER_OWNER; b++) {
            for (int o = 0; o < OWNERS; o++, r++) {
                String owner = "owner-" + o;
                keys[r] = Keys.requestOwner(REQUEST, owner).getBytes(StandardCharsets.UTF_8);
                values[r] = topics.sampleVectors().valueSerde().serializer().serialize(topics.sampleVectors().name(),
                        StreamsThroughput.batch(random, REQUEST, owner, b, PER_RECORD, SelectionMethod.FEATURE));
            }
        }
    }

    /** A fresh processor on fresh, empty stores, with the request's hard set known. */
    @Setup(Level.Iteration)
    public void processor() throws IOException {
        stateDir = Files.createTempDirectory("processor-benchmark-");
        context = new MockProcessorContext<>(new Properties(), new org.apache.kafka.streams.processor.TaskId(0, 0), stateDir.toFile());
        stores = new ArrayList<>();
        TimestampedKeyValueStore<String, HardSetVectors> hardsets = Stores.timestampedKeyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(UsefulSubsetProcessor.HARDSETS), Serdes.String(),
                topics.hardsetVectors().valueSerde()).withLoggingDisabled().build();
        register(hardsets);
        register(Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore(UsefulSubsetProcessor.OWNER_POLICIES),
                Serdes.String(), topics.ownerPolicies().valueSerde()).withLoggingDisabled().build());
        for (String name : List.of(UsefulSubsetProcessor.OMP_STATE, UsefulSubsetProcessor.CANDIDATE_SOURCES,
                UsefulSubsetProcessor.TOPK, UsefulSubsetProcessor.PENDING, UsefulSubsetProcessor.REVEALED,
                UsefulSubsetProcessor.CONTENT_CLAIMS, UsefulSubsetProcessor.CLAIM_LOG, UsefulSubsetProcessor.SUBSET_COUNTS)) {
            register(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                    .withLoggingDisabled().build());
        }
        register(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(UsefulSubsetProcessor.SUBSETS), Serdes.String(),
                topics.serde(mycroft.schemas.SubsetUpdate.class)).withLoggingDisabled().build());
        HardSetTable.Changes changes = new HardSetTable.Changes();
        HardSetTable table = new HardSetTable(changes);
        MockProcessorContext<Void, Void> globalThread = new MockProcessorContext<>();
        globalThread.addStateStore(hardsets);
        table.init(globalThread);
        table.process(new Record<>(REQUEST, hardSet, 0L));
        processor = new UsefulSubsetProcessor(topics.sampleVectors(), 10_000, 600_000, 256L * 1024 * 1024,
                64L * 1024 * 1024, new SimpleMeterRegistry(), changes);
        processor.init(context);
    }

    private void register(StateStore store) {
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        stores.add(store);
    }

    /** Every record, in order, as partition 0 of sample-vectors; returns the records forwarded. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public int samples() {
        int forwarded = 0;
        for (int r = 0; r < keys.length; r++) {
            context.setRecordMetadata(topics.sampleVectors().name(), 0, r);
            processor.process(new Record<>(keys[r], values[r], r));
            if (r % 1_000 == 999) {
                forwarded += context.forwarded().size();
                context.resetForwards();
            }
        }
        return forwarded + context.forwarded().size();
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        processor.close();
        stores.forEach(StateStore::close);
        try (Stream<Path> paths = Files.walk(stateDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
