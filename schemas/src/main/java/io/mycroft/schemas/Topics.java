package io.mycroft.schemas;

import io.mycroft.schemas.serde.AvroSerde;
import io.mycroft.schemas.serde.SchemaRegistry;
import io.mycroft.schemas.serde.SerdeConfig;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.Evaluation;
import mycroft.schemas.ExposureEntry;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.OwnerPolicy;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SubsetUpdate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The catalogue of Mycroft's topics (DESIGN §2): every module takes names and serdes from here, so a topic is never
 * spelled twice. Keys are UTF-8 strings; values are Avro in the Confluent wire format.
 */
public final class Topics {
    /** Config key of the prefix put before every topic name (default none), so several deployments can share a cluster. */
    public static final String PREFIX = "mycroft.topic.prefix";

    static {
        TrustedSchemas.install();
    }

    private static final String BIG = String.valueOf(TopicSpec.MAX_MESSAGE_BYTES);
    // Inputs are kept forever: an audit replays them from offset 0.
    private static final Map<String, String> FOREVER = Map.of("retention.ms", "-1");

    public static final TopicSpec MODELS = TopicSpec.compacted("models", ModelArtifact.class, 1,
            Map.of("max.message.bytes", BIG)); // models up to 8 MB travel inline
    public static final TopicSpec HARDSET_REQUESTS = TopicSpec.compacted("hardset-requests", HardSetRequest.class, 1,
            Map.of("max.message.bytes", BIG));
    public static final TopicSpec OWNER_SAMPLES = TopicSpec.retained("owner-samples", OwnerSample.class, 4, FOREVER);
    public static final TopicSpec HARDSET_VECTORS = TopicSpec.compacted("hardset-vectors", HardSetVectors.class, 1,
            Map.of("max.message.bytes", BIG));
    // Required forever (retention.ms = -1), not only for audits: the Streams app holds the candidates in memory only and
    // rebuilds them from the sample-vectors records it applied (UsefulSubsetProcessor), so a record may be read back for
    // as long as its request lives. Shorter retention, or compaction, breaks restores.
    public static final TopicSpec SAMPLE_VECTORS = TopicSpec.retained("sample-vectors", SampleVectors.class, 4,
            Map.of("retention.ms", "-1", "max.message.bytes", BIG));
    public static final TopicSpec SUBSET_UPDATES = TopicSpec.compacted("subset-updates", SubsetUpdate.class, 4, Map.of());
    public static final TopicSpec OWNER_RANKINGS = TopicSpec.compacted("owner-rankings", OwnerRanking.class, 4, Map.of());
    public static final TopicSpec EVALUATIONS = TopicSpec.compacted("evaluations", Evaluation.class, 4, Map.of());
    // Dead letters carry the original bytes, so they may be as big as any input.
    public static final TopicSpec DEAD_LETTERS = TopicSpec.retained("dead-letters", DeadLetter.class, 1,
            Map.of("max.message.bytes", BIG));

    // The owners' caps: the latest record per owner holds.
    public static final TopicSpec OWNER_POLICIES = TopicSpec.compacted("owner-policies", OwnerPolicy.class, 1, Map.of());
    // Append-only and kept forever: the record of what each owner has revealed, for the owners and for audits.
    public static final TopicSpec EXPOSURE_LEDGER = TopicSpec.retained("exposure-ledger", ExposureEntry.class, 4, FOREVER);

    public static final List<TopicSpec> ALL = List.of(MODELS, HARDSET_REQUESTS, OWNER_SAMPLES, HARDSET_VECTORS,
            SAMPLE_VECTORS, SUBSET_UPDATES, OWNER_RANKINGS, EVALUATIONS, DEAD_LETTERS, OWNER_POLICIES, EXPOSURE_LEDGER);

    /**
     * Owners who run their own producer write to their own ingestion topic {@code owner-samples.<owner>}, created by the
     * platform with owner-samples' value type and configs, writable by that owner's principal only: the topic names the
     * owner, whatever its records claim. Such owner ids are {@value #INGESTION_OWNER_ID}: no '.', so a topic name has
     * one reading, and nothing Kafka's topic names or SCRAM user names would treat specially.
     */
    public static final String INGESTION_OWNER_ID = "[a-z0-9][a-z0-9-]{0,63}";
    private static final Pattern INGESTION_OWNER = Pattern.compile(INGESTION_OWNER_ID);
    private static final String INGESTION_SEPARATOR = ".";

    private final String prefix;
    private final SchemaRegistry registry;
    private final boolean autoRegister;
    // One Topic (and so one serde with its id cache) per spec: a new serde would ask the registry again.
    private final Map<TopicSpec, Topic<String, ? extends SpecificRecord>> cache = new java.util.concurrent.ConcurrentHashMap<>();

    public Topics(String prefix, SchemaRegistry registry, boolean autoRegister) {
        this.prefix = prefix;
        this.registry = registry;
        this.autoRegister = autoRegister;
    }

    /** Topics configured from client properties: {@value SerdeConfig#REGISTRY_URL}, {@value SerdeConfig#AUTO_REGISTER}, {@value #PREFIX}. */
    public static Topics from(Map<String, ?> config) {
        SerdeConfig serdes = SerdeConfig.from(config);
        Object prefix = config.get(PREFIX);
        return new Topics(prefix == null ? "" : prefix.toString(), serdes.registry(), serdes.autoRegister());
    }

    public String prefix() {
        return prefix;
    }

    public Topic<String, ModelArtifact> models() {
        return topic(MODELS, ModelArtifact.class);
    }

    public Topic<String, HardSetRequest> hardsetRequests() {
        return topic(HARDSET_REQUESTS, HardSetRequest.class);
    }

    public Topic<String, OwnerSample> ownerSamples() {
        return topic(OWNER_SAMPLES, OwnerSample.class);
    }

    public Topic<String, HardSetVectors> hardsetVectors() {
        return topic(HARDSET_VECTORS, HardSetVectors.class);
    }

    public Topic<String, SampleVectors> sampleVectors() {
        return topic(SAMPLE_VECTORS, SampleVectors.class);
    }

    public Topic<String, SubsetUpdate> subsetUpdates() {
        return topic(SUBSET_UPDATES, SubsetUpdate.class);
    }

    public Topic<String, OwnerRanking> ownerRankings() {
        return topic(OWNER_RANKINGS, OwnerRanking.class);
    }

    public Topic<String, Evaluation> evaluations() {
        return topic(EVALUATIONS, Evaluation.class);
    }

    public Topic<String, DeadLetter> deadLetters() {
        return topic(DEAD_LETTERS, DeadLetter.class);
    }

    public Topic<String, OwnerPolicy> ownerPolicies() {
        return topic(OWNER_POLICIES, OwnerPolicy.class);
    }

    public Topic<String, ExposureEntry> exposureLedger() {
        return topic(EXPOSURE_LEDGER, ExposureEntry.class);
    }

    /** Owner {@code ownerId}'s own ingestion topic (see {@link #INGESTION_OWNER_ID}); the id must pass {@link #ingestionOwnerProblem}. */
    public Topic<String, OwnerSample> ownerIngestion(String ownerId) {
        return topic(ownerIngestionSpec(ownerId), OwnerSample.class);
    }

    /** owner-samples and every owner's own ingestion topic under this catalogue's prefix, as a subscription pattern. */
    public Pattern ownerSamplesPattern() {
        return Pattern.compile(Pattern.quote(OWNER_SAMPLES.name(prefix)) + "(" + Pattern.quote(INGESTION_SEPARATOR) + INGESTION_OWNER_ID + ")?");
    }

    /**
     * The owner whose own ingestion topic {@code topic} is, under this catalogue's prefix; empty for owner-samples (whose
     * writers, the operator's connectors, stamp the owner) and any other topic.
     */
    public Optional<String> channelOwner(String topic) {
        String base = ownerIngestionPrefix(prefix);
        if (!topic.startsWith(base)) {
            return Optional.empty();
        }
        String owner = topic.substring(base.length());
        return INGESTION_OWNER.matcher(owner).matches() ? Optional.of(owner) : Optional.empty();
    }

    /** What every owner's own ingestion topic's name starts with under {@code prefix} (for prefixed ACLs). */
    public static String ownerIngestionPrefix(String prefix) {
        return OWNER_SAMPLES.name(prefix) + INGESTION_SEPARATOR;
    }

    /** The spec of an owner's own ingestion topic: owner-samples' value type, partitions and configs under its own name. */
    public static TopicSpec ownerIngestionSpec(String ownerId) {
        String problem = ingestionOwnerProblem(ownerId);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new TopicSpec(OWNER_SAMPLES.baseName() + INGESTION_SEPARATOR + ownerId, OWNER_SAMPLES.valueType(),
                OWNER_SAMPLES.partitions(), OWNER_SAMPLES.configs());
    }

    /** What makes {@code ownerId} unusable as the owner of its own ingestion topic, or null if it is fine. */
    public static String ingestionOwnerProblem(String ownerId) {
        if (ownerId == null || !INGESTION_OWNER.matcher(ownerId).matches()) {
            return "owner id '" + ownerId + "' must match " + INGESTION_OWNER_ID
                    + " (lower-case letters, digits and '-', starting with a letter or digit, at most 64)";
        }
        return null;
    }

    /**
     * The shared topics a model trainer writes through its own twin {@code <topic>.<trainer>} (same value type,
     * partitions and configs), writable by that trainer's principal only. The Streams app copies a twin's record to the
     * shared topic iff the id it carries belongs to the twin's trainer ({@link Keys#trainerOf}); trainer ids are
     * {@value #INGESTION_OWNER_ID}, like owners' own ids.
     */
    public static final List<TopicSpec> TRAINER_TWINNED = List.of(HARDSET_REQUESTS, MODELS);

    /** Trainer {@code trainerId}'s twin of {@code shared} (one of {@link #TRAINER_TWINNED}). */
    public Topic<String, ? extends SpecificRecord> trainerTwin(TopicSpec shared, String trainerId) {
        return of(trainerTwinSpec(shared, trainerId));
    }

    /** Every trainer's twin of {@code shared} under this catalogue's prefix, as a subscription pattern. */
    public Pattern trainerTwinPattern(TopicSpec shared) {
        return Pattern.compile(Pattern.quote(trainerTwinPrefix(shared, prefix)) + INGESTION_OWNER_ID);
    }

    /** The trainer whose twin of {@code shared} {@code topic} is, under this catalogue's prefix; empty for any other topic. */
    public Optional<String> channelTrainer(TopicSpec shared, String topic) {
        String base = trainerTwinPrefix(shared, prefix);
        if (!topic.startsWith(base)) {
            return Optional.empty();
        }
        String trainer = topic.substring(base.length());
        return INGESTION_OWNER.matcher(trainer).matches() ? Optional.of(trainer) : Optional.empty();
    }

    /** What every trainer's twin of {@code shared} starts with under {@code prefix} (for prefixed ACLs). */
    public static String trainerTwinPrefix(TopicSpec shared, String prefix) {
        return shared.name(prefix) + INGESTION_SEPARATOR;
    }

    /** The spec of trainer {@code trainerId}'s twin of {@code shared}: its value type, partitions and configs under its own name. */
    public static TopicSpec trainerTwinSpec(TopicSpec shared, String trainerId) {
        if (!TRAINER_TWINNED.contains(shared)) {
            throw new IllegalArgumentException(shared.baseName() + " has no per-trainer twins");
        }
        String problem = trainerProblem(trainerId);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new TopicSpec(shared.baseName() + INGESTION_SEPARATOR + trainerId, shared.valueType(), shared.partitions(),
                shared.configs());
    }

    /** What makes {@code trainerId} unusable as a trainer (the principal and the {@code <t>.} of its request ids), or null. */
    public static String trainerProblem(String trainerId) {
        if (trainerId == null || !INGESTION_OWNER.matcher(trainerId).matches()) {
            return "trainer id '" + trainerId + "' must match " + INGESTION_OWNER_ID
                    + " (lower-case letters, digits and '-', starting with a letter or digit, at most 64)";
        }
        return null;
    }

    /** The topic of {@code spec}, for code that handles every topic alike (creation checks, smoke tests). */
    public Topic<String, ? extends SpecificRecord> of(TopicSpec spec) {
        return topic(spec, spec.valueType());
    }

    /** A value serde for {@code type} bound to this catalogue's registry, for stores and repartition topics. */
    public <V extends SpecificRecord> Serde<V> serde(Class<V> type) {
        return new AvroSerde<>(type, registry, autoRegister);
    }

    @SuppressWarnings("unchecked")
    private <V extends SpecificRecord> Topic<String, V> topic(TopicSpec spec, Class<V> type) {
        return (Topic<String, V>) cache.computeIfAbsent(spec, s -> new Topic<>(s.name(prefix), Serdes.String(), serde(type), s));
    }
}
