package io.mycroft.topology;

import io.mycroft.processors.ExposureLedger;
import io.mycroft.processors.ExposureSummaryProcessor;
import io.mycroft.processors.HardSetTable;
import io.mycroft.processors.OwnerRankingAggregator;
import io.mycroft.processors.RankingInput;
import io.mycroft.processors.UsefulSubsetProcessor;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.Evaluation;
import mycroft.schemas.ExposureEntry;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.OwnerExposure;
import mycroft.schemas.OwnerPolicy;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SubsetUpdate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.function.Function;

/**
 * The Mycroft Streams topology (DESIGN §1, §4), top to bottom:
 * <pre>
 *  hardset-vectors ──▶ HardSetTable ──▶ global store "hardsets" (every instance sees every request's targets)
 *  owner-policies ──▶ GlobalKTable "owner-policies" (the owners' caps)
 *  sample-vectors (request|owner, placed by request) ──▶ UsefulSubsetProcessor [omp-state, candidates (no changelog:
 *                                       rebuilt from sample-vectors), candidate-sources, topk, subsets, subset-counts,
 *                                       pending, revealed, content-claims (first owner of each content, per request)]
 *        ├─▶ subset-updates (request|owner), on change only
 *        ├─▶ exposure-ledger (owner): the ids each update reveals
 *        └─▶ dead-letters (bad samples, with reason)
 *  subset-updates ─┬─ re-keyed by request ─▶ OwnerRankingAggregator [rankings, rankings-unsent] ──▶ owner-rankings
 *  evaluations ─▶ EvaluationCheck ─┘ (bad ones ─▶ dead-letters; usable ones ─▶ exposure-ledger as purchases)
 *  exposure-ledger ──▶ ExposureSummaryProcessor [exposure, exposure-ids] (GET /owners/{o}/exposure)
 *  hardset-requests.<t>, models.<t> ──▶ TrainerGate ─┬─▶ hardset-requests, models (ids t.<name> only, bytes as written)
 *                                                    └─▶ dead-letters (foreign ids, with reason)
 * </pre>
 */
public final class MycroftTopology {
    private MycroftTopology() {
    }

    public static Topology build(MycroftStreamsConfig config) {
        return build(config, new SimpleMeterRegistry());
    }

    public static Topology build(MycroftStreamsConfig config, MeterRegistry meters) {
        Topics topics = config.topics();
        Topic<String, HardSetVectors> hardsetVectors = topics.hardsetVectors();
        Topic<String, SampleVectors> sampleVectors = topics.sampleVectors();
        Topic<String, SubsetUpdate> subsetUpdates = topics.subsetUpdates();
        Topic<String, Evaluation> evaluations = topics.evaluations();
        Topic<String, OwnerRanking> ownerRankings = topics.ownerRankings();
        Topic<String, DeadLetter> deadLetters = topics.deadLetters();
        Topic<String, OwnerPolicy> ownerPolicies = topics.ownerPolicies();
        Topic<String, ExposureEntry> exposureLedger = topics.exposureLedger();
        StreamsBuilder builder = new StreamsBuilder();

        // A global table kept by HardSetTable, which tells the stream threads when a hard set changed.
        HardSetTable.Changes hardSetChanges = new HardSetTable.Changes();
        builder.addGlobalStore(Stores.timestampedKeyValueStoreBuilder(Stores.persistentTimestampedKeyValueStore(UsefulSubsetProcessor.HARDSETS),
                        hardsetVectors.keySerde(), hardsetVectors.valueSerde()).withLoggingDisabled(),
                hardsetVectors.name(), Consumed.with(hardsetVectors.keySerde(), CheckedHardSets.serde(hardsetVectors)),
                () -> new HardSetTable(hardSetChanges));
        builder.globalTable(ownerPolicies.name(), Consumed.with(ownerPolicies.keySerde(), ownerPolicies.valueSerde()),
                Materialized.<String, OwnerPolicy, KeyValueStore<Bytes, byte[]>>as(UsefulSubsetProcessor.OWNER_POLICIES)
                        .withKeySerde(ownerPolicies.keySerde()).withValueSerde(ownerPolicies.valueSerde()));
        // Cached (here and `subsets`, a pair's update on each change): what a record rewrites under keys it shares with
        // other records (a pair's counts on every record, a class's OMP path on every offer, a hard sample's heap on
        // most of its changes). The cache keeps a key's last value until the commit, so RocksDB and the changelog take
        // one write a key a commit, not one a record.
        for (String store : new String[]{UsefulSubsetProcessor.OMP_STATE, UsefulSubsetProcessor.TOPK, UsefulSubsetProcessor.SUBSET_COUNTS}) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.ByteArray())
                    .withCachingEnabled());
        }
        // Not cached: each key is written once (a record's offset, its claims, a waiting batch, a revealed id).
        for (String store : new String[]{UsefulSubsetProcessor.CANDIDATE_SOURCES, UsefulSubsetProcessor.PENDING,
                UsefulSubsetProcessor.REVEALED, UsefulSubsetProcessor.CLAIM_LOG}) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.ByteArray()));
        }
        // The part of the claim log's index that outgrew memory, one entry per claim: rebuilt from the log (ClaimIndex).
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(UsefulSubsetProcessor.CONTENT_CLAIMS),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(UsefulSubsetProcessor.SUBSETS),
                Serdes.String(), topics.serde(SubsetUpdate.class)).withCachingEnabled());

        KStream<String, SpecificRecord> selected = builder
                // Bytes in: the processor decodes and checks them, so it can dead-letter a bad record with its original bytes.
                .stream(sampleVectors.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("sample-vectors"))
                .process(() -> new UsefulSubsetProcessor(sampleVectors, config.getInt(MycroftStreamsConfig.MAX_BATCH_SAMPLES),
                                config.getLong(MycroftStreamsConfig.PENDING_TIMEOUT_MS), config.getLong(MycroftStreamsConfig.CANDIDATE_CACHE_FLOATS),
                                config.getLong(MycroftStreamsConfig.CLAIM_TABLE_BYTES), meters, hardSetChanges),
                        Named.as("useful-subsets"), UsefulSubsetProcessor.OMP_STATE,
                        UsefulSubsetProcessor.CANDIDATE_SOURCES, UsefulSubsetProcessor.TOPK, UsefulSubsetProcessor.SUBSETS,
                        UsefulSubsetProcessor.PENDING, UsefulSubsetProcessor.REVEALED, UsefulSubsetProcessor.CONTENT_CLAIMS,
                        UsefulSubsetProcessor.CLAIM_LOG, UsefulSubsetProcessor.SUBSET_COUNTS);
        KStream<String, SubsetUpdate> updates = selected
                .filter((key, value) -> value instanceof SubsetUpdate, Named.as("subset-updates-only"))
                .mapValues(value -> (SubsetUpdate) value, Named.as("as-subset-update"));
        updates.to(subsetUpdates.name(), Produced.with(subsetUpdates.keySerde(), subsetUpdates.valueSerde()).withName("subset-updates"));
        selected.filter((key, value) -> value instanceof DeadLetter, Named.as("dead-letters-only"))
                .mapValues(value -> (DeadLetter) value, Named.as("as-dead-letter"))
                .to(deadLetters.name(), Produced.with(deadLetters.keySerde(), deadLetters.valueSerde()).withName("dead-letters"));
        selected.filter((key, value) -> value instanceof ExposureEntry, Named.as("exposure-only"))
                .mapValues(value -> (ExposureEntry) value, Named.as("as-exposure-entry"))
                .to(exposureLedger.name(), Produced.with(exposureLedger.keySerde(), exposureLedger.valueSerde()).withName("exposure-ledger"));
        KStream<String, SpecificRecord> checkedEvaluations = builder
                .stream(evaluations.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("evaluations"))
                .process(() -> new EvaluationCheck(evaluations), Named.as("evaluations-check"));
        checkedEvaluations.filter((key, value) -> value instanceof DeadLetter, Named.as("evaluation-letters-only"))
                .mapValues(value -> (DeadLetter) value, Named.as("evaluation-as-dead-letter"))
                .to(deadLetters.name(), Produced.with(deadLetters.keySerde(), deadLetters.valueSerde()).withName("evaluation-dead-letters"));

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OwnerRankingAggregator.RANKINGS),
                Serdes.String(), ownerRankings.valueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OwnerRankingAggregator.UNSENT),
                Serdes.String(), Serdes.Long()));
        KStream<String, RankingInput> subsetsByRequest = updates
                .selectKey((key, update) -> update.getRequestId(), Named.as("subset-update-request"))
                .repartition(Repartitioned.with(Serdes.String(), subsetUpdates.valueSerde()).withName("subset-updates-by-request"))
                .mapValues(RankingInput::of, Named.as("subset-input"));
        KStream<String, Evaluation> usableEvaluations = checkedEvaluations
                .filter((key, value) -> value instanceof Evaluation, Named.as("evaluations-usable"))
                .mapValues(value -> (Evaluation) value, Named.as("as-evaluation"));
        usableEvaluations.map((key, evaluation) -> KeyValue.pair(evaluation.getOwnerId(), ExposureLedger.purchase(evaluation)),
                        Named.as("evaluation-purchase"))
                .to(exposureLedger.name(), Produced.with(exposureLedger.keySerde(), exposureLedger.valueSerde()).withName("purchase-exposure"));
        KStream<String, RankingInput> gainsByRequest = usableEvaluations
                .selectKey((key, evaluation) -> evaluation.getRequestId(), Named.as("evaluation-request"))
                .repartition(Repartitioned.with(Serdes.String(), evaluations.valueSerde()).withName("evaluations-by-request"))
                .mapValues(RankingInput::of, Named.as("gain-input"));
        Duration emitInterval = Duration.ofMillis(config.getLong(MycroftStreamsConfig.RANKING_EMIT_INTERVAL_MS));
        OwnerRankingAggregator.Settling settling = new OwnerRankingAggregator.Settling(
                config.getDouble(MycroftStreamsConfig.RANKING_INTERVAL_Z),
                config.getLong(MycroftStreamsConfig.RANKING_SETTLED_WINDOW_UPDATES));
        subsetsByRequest.merge(gainsByRequest, Named.as("ranking-inputs"))
                .process(() -> new OwnerRankingAggregator(emitInterval, settling), Named.as("owner-rankings-aggregator"),
                        OwnerRankingAggregator.RANKINGS, OwnerRankingAggregator.UNSENT)
                .to(ownerRankings.name(), Produced.with(ownerRankings.keySerde(), ownerRankings.valueSerde()).withName("owner-rankings"));
        builder.addStateStore(Stores.timestampedKeyValueStoreBuilder(Stores.persistentTimestampedKeyValueStore(ExposureLedger.STORE),
                Serdes.String(), topics.serde(OwnerExposure.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ExposureSummaryProcessor.IDS),
                Serdes.String(), Serdes.String()));
        builder.stream(exposureLedger.name(), Consumed.with(exposureLedger.keySerde(), exposureLedger.valueSerde()).withName("exposure-entries"))
                .process(ExposureSummaryProcessor::new, Named.as("exposure-summary"), ExposureLedger.STORE, ExposureSummaryProcessor.IDS);
        gateTrainerTwin(builder, topics, topics.hardsetRequests(), "request", HardSetRequest::getRequestId, deadLetters);
        gateTrainerTwin(builder, topics, topics.models(), "model", ModelArtifact::getModelId, deadLetters);
        return builder.build();
    }

    /** Every trainer's twin of {@code shared} (a pattern subscription, so new trainers join) through a {@link TrainerGate}. */
    private static <V> void gateTrainerTwin(StreamsBuilder builder, Topics topics, Topic<String, V> shared, String what,
                                            Function<V, String> idOf, Topic<String, DeadLetter> deadLetters) {
        String name = shared.spec().baseName() + "-trainer";
        KStream<byte[], Object> gated = builder
                .stream(topics.trainerTwinPattern(shared.spec()), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name + "-twins"))
                .process(() -> new TrainerGate<>(topics, shared, what, idOf), Named.as(name + "-gate"));
        // A passed tombstone is null: everything but a dead letter passes.
        gated.filter((key, value) -> !(value instanceof DeadLetter), Named.as(name + "-passed"))
                .mapValues(value -> (byte[]) value, Named.as(name + "-as-bytes"))
                .to(shared.name(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name + "-shared"));
        gated.filter((key, value) -> value instanceof DeadLetter, Named.as(name + "-letters-only"))
                .mapValues(value -> (DeadLetter) value, Named.as(name + "-as-dead-letter"))
                .to(deadLetters.name(), Produced.with(Serdes.ByteArray(), deadLetters.valueSerde()).withName(name + "-dead-letters"));
    }
}
