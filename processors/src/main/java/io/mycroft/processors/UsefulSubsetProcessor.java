package io.mycroft.processors;

import io.mycroft.processors.math.Candidate;
import io.mycroft.processors.math.CandidateStore;
import io.mycroft.processors.math.InMemoryCandidateStore;
import io.mycroft.processors.math.IncrementalOmp;
import io.mycroft.processors.math.InvalidVectorException;
import io.mycroft.processors.math.NeighbourHeap;
import io.mycroft.processors.math.NeighbourHeapCodec;
import io.mycroft.processors.math.OmpStateCodec;
import io.mycroft.processors.math.RetrieveTopK;
import io.mycroft.processors.math.RetrieveTopKStream;
import io.mycroft.processors.math.SampleEmbedding;
import io.mycroft.processors.math.Vectors;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.serde.WireFormatException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import mycroft.schemas.ClassSubset;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.ExposureEntry;
import mycroft.schemas.ExposureKind;
import mycroft.schemas.ExposureReason;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.OwnerPolicy;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectedSample;
import mycroft.schemas.SubsetUpdate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Keeps, per (request, owner), the selection state of every class of the request and emits a {@link SubsetUpdate}
 * whenever the owner's useful subset (or its score) changes — never for a batch that changes nothing.
 *
 * <p>State (all RocksDB, changelogged unless said): {@value #OMP_STATE} ({@code request|owner|class} → the OMP path,
 * O(B²) numbers), {@value #CANDIDATE_SOURCES} ({@code request|owner|offset} → nothing: the {@code sample-vectors} records applied
 * under a plan that selects on gradients),
 * {@value #TOPK} ({@code request|owner|class|hardSampleId} → nearest-neighbour heap; {@code
 * request|owner|class||sampleId} → the vector of a sample a heap holds), {@value #SUBSETS} ({@code
 * request|owner} → the latest update published, or the first one while nothing is), {@value #SUBSET_COUNTS} ({@code
 * request|owner} → the pair's live samples-seen and duplicate counts, which every record advances: kept apart so that a
 * record that changes no subset does not rewrite it; {@link #current} puts the two together), {@value #PENDING} (batches whose hard set is
 * not known yet), {@value #REVEALED} ({@code request|owner} → the owner's cap for the request; {@code
 * request|owner|sampleId} → nothing, for every sample id revealed to it so far), {@value #CLAIM_LOG} ({@code
 * request||n} → the content claims the task's n-th claiming record made, one entry per record; {@code
 * request|owner|sampleId} → nothing, for each copy counted; {@code |records} → n, written by a cancel only: n is
 * otherwise the highest record number), {@value #CONTENT_CLAIMS} (not
 * changelogged: the part of the claim log's index that outgrew memory, {@link ClaimIndex}).
 *
 * <p>Copies across owners (the paper's open question 3): a request's samples of every owner arrive on one partition
 * ({@link Keys#requestPartition}), so "first" is the offset order of that partition. When a record arrives, each of its
 * samples whose content (the worker's SHA-256 {@code contentDigest} of the decoded features) the request has not seen
 * yet is claimed for its owner and sample; a claim is never revised. A sample whose content another owner claimed
 * first is never offered: the content is credited to that owner. A sample whose content another of its own owner's
 * ids claimed first is offered as before (exact copies count once in the selection). Both kinds are counted in
 * {@link SubsetUpdate#getDuplicateSamples}, each sample once however often it is re-sent. Claims are made on arrival,
 * before a batch waits for its hard set, so they follow the partition's order however late the batch is applied, and a
 * replay makes the same claims. A record's new claims are logged as one changelogged entry (one changelog record per
 * input record, not one per sample); which record claimed a content is indexed in memory and, beyond a memory bound
 * ({@code claimTableBytes}), in a store without a changelog; the index is rebuilt from the log at {@link #init}
 * ({@link ClaimIndex}).
 *
 * <p>Exposure: an owner's cap (global store {@value #OWNER_POLICIES}) is read once per (request, owner), when the request
 * first selects from the owner, and kept in {@value #REVEALED}; selection for the pair then runs with budget min(B, cap)
 * ({@link RequestPlan#capped}). Every forwarded subset update is also forwarded as an {@link ExposureEntry} (key
 * ownerId) naming the ids it reveals and which of them are new, for the {@code exposure-ledger} topic.
 *
 * <p>The candidates (every sample vector OMP may choose) are a function of the applied records, which {@code
 * sample-vectors} retains (retention.ms = -1), so they are not written a second time, to a store or a changelog: they
 * are held in memory only, per (request, owner), with the live OMP objects. When a key is not held (after {@link #init}:
 * a restart, a task moved here, exactly-once's wipe after a crash; or after the cache evicted it), its candidates are
 * rebuilt: its applied records are read back from the task's input partition ({@link SourceRecords}) and the same
 * checks and candidate updates replayed in the same order. Writing each 5 KB vector to RocksDB as well cost the stream
 * 16 % of its throughput and the machine its flushes and compactions (load-tests/reports/streams.md).
 *
 * <p>Hard sets come from the global store {@value #HARDSETS}, kept by {@link HardSetTable}; the processor holds those it
 * read until one changes there. A batch that arrives before its hard set waits in
 * {@value #PENDING} and is applied, in arrival order, when the hard set appears (checked on the next batch of the key
 * and by a one-second wall-clock sweep); after {@value #PENDING_TIMEOUT_MS} it is dead-lettered.
 * When a hard set disappears (tombstone = the request was cancelled) the sweep deletes the owner's state and emits a
 * final update with {@code cancelled = true}.
 *
 * <p>The processor is the edge of {@code sample-vectors}: it reads the records' bytes and decodes and checks them itself,
 * so every record it cannot use (undecodable bytes or key, a tombstone, a bad id, a key that is not its request and
 * owner, too many samples, bad samples, another model version, an unknown or cancelled request) becomes exactly one
 * dead letter with the record's original bytes, topic, partition and offset, and the next record is processed.
 *
 * <p>Because incremental OMP and streaming RetrieveTopK equal their batch forms for every arrival order, the subsets
 * do not depend on when pending batches are applied: a replay reproduces them bit for bit.
 */
public final class UsefulSubsetProcessor implements Processor<byte[], byte[], String, SpecificRecord> {
    public static final String HARDSETS = "hardsets";
    public static final String OMP_STATE = "omp-state";
    public static final String CANDIDATE_SOURCES = "candidate-sources";
    public static final String TOPK = "topk";
    public static final String SUBSETS = "subsets";
    public static final String SUBSET_COUNTS = "subset-counts";
    public static final String PENDING = "pending";
    public static final String OWNER_POLICIES = "owner-policies";
    public static final String REVEALED = "revealed";
    public static final String CONTENT_CLAIMS = "content-claims";
    public static final String CLAIM_LOG = "claim-log";
    /** The setting that bounds a batch (the processor's {@code maxBatchSamples}), named in the dead letter of a larger one. */
    public static final String MAX_BATCH_SAMPLES = "mycroft.max.batch.samples";
    /** The setting behind {@code pendingTimeoutMs}: how long a batch may wait for its request's hard set. */
    public static final String PENDING_TIMEOUT_MS = "mycroft.pending.timeout.ms";
    static final String STAGE = "streams.useful-subsets";
    private static final Duration SWEEP = Duration.ofSeconds(1);
    private static final StringSerializer KEYS = new StringSerializer();
    private static final byte[] NOTHING = new byte[0];
    /** At most this many hard sets held: unknown request ids (bad records) must not grow the map without bound. */
    private static final int MAX_HARD_SETS_HELD = 1024;

    private final Topic<String, SampleVectors> sampleVectors;
    private final HardSetTable.Changes hardSetChanges;
    /** The hard sets read from {@value #HARDSETS} (null: none there) since it last changed, at {@link #hardSetsRead}. */
    private final Map<String, HardSetVectors> hardSetsHeld = new HashMap<>();
    private long hardSetsRead = -1;
    private final Function<ProcessorContext<?, ?>, SourceRecords> sourceRecordsFactory;
    private final int maxBatchSamples;
    private final long pendingTimeoutMs;
    private final long cacheFloats;
    private final long claimTableBytes;
    private final Counter samplesCounter;
    private final Counter changesCounter;
    private final Counter rebuildsCounter;
    private final Counter claimIndexRebuildsCounter;

    private ProcessorContext<String, SpecificRecord> context;
    private ReadOnlyKeyValueStore<String, ValueAndTimestamp<HardSetVectors>> hardsets;
    private KeyValueStore<String, byte[]> ompState;
    private KeyValueStore<String, byte[]> candidateSources;
    /** Opened on the first rebuild only. */
    private SourceRecords sourceRecords;
    private KeyValueStore<String, byte[]> topk;
    private KeyValueStore<String, SubsetUpdate> subsets;
    private KeyValueStore<String, byte[]> subsetCounts;
    private KeyValueStore<String, byte[]> pending;
    private ReadOnlyKeyValueStore<String, ValueAndTimestamp<OwnerPolicy>> policies;
    private KeyValueStore<String, byte[]> revealed;
    private KeyValueStore<String, byte[]> claimLog;
    private ClaimIndex claims;
    /** The keys ({@code request|owner}) with batches in {@value #PENDING}, and maybe some with none left. */
    private final Set<String> keysWaiting = new HashSet<>();
    private final Map<String, RequestPlan> plans = new HashMap<>();
    /**
     * Each (request, owner)'s cap as {@value #REVEALED} holds it (empty: none), which never changes once written: read
     * once, so that a record does not decode the pair's revealed ids to find it.
     */
    private final Map<String, Optional<Integer>> caps = new HashMap<>();
    /** Plans under a cap, by {@code requestId|cap}. */
    private final Map<String, RequestPlan> cappedPlans = new HashMap<>();
    /** Per (request, owner): its classes' candidates and live OMP objects, least recently used first. */
    private final LinkedHashMap<String, KeyState> keyStates = new LinkedHashMap<>(16, 0.75f, true);

    /** {@code hardSetChanges}: those of the {@link HardSetTable} that keeps {@value #HARDSETS}. */
    public UsefulSubsetProcessor(Topic<String, SampleVectors> sampleVectors, int maxBatchSamples, long pendingTimeoutMs,
                          long cacheFloats, long claimTableBytes, MeterRegistry meters, HardSetTable.Changes hardSetChanges) {
        this(sampleVectors, maxBatchSamples, pendingTimeoutMs, cacheFloats, claimTableBytes, meters, hardSetChanges, context -> new KafkaSourceRecords(
                context.appConfigs(), sampleVectors, context.applicationId() + "-" + context.taskId() + "-candidate-rebuild"));
    }

    /** As above, reading records back for a rebuild through {@code sourceRecordsFactory} (tests). */
    UsefulSubsetProcessor(Topic<String, SampleVectors> sampleVectors, int maxBatchSamples, long pendingTimeoutMs,
                          long cacheFloats, long claimTableBytes, MeterRegistry meters, HardSetTable.Changes hardSetChanges,
                          Function<ProcessorContext<?, ?>, SourceRecords> sourceRecordsFactory) {
        this.hardSetChanges = hardSetChanges;
        this.sampleVectors = sampleVectors;
        this.sourceRecordsFactory = sourceRecordsFactory;
        this.samplesCounter = meters.counter("mycroft.samples.processed");
        this.changesCounter = meters.counter("mycroft.subset.changes");
        this.rebuildsCounter = meters.counter("mycroft.candidates.rebuilt");
        this.claimIndexRebuildsCounter = meters.counter("mycroft.claim.index.rebuilt");
        this.maxBatchSamples = maxBatchSamples;
        this.pendingTimeoutMs = pendingTimeoutMs;
        this.cacheFloats = cacheFloats;
        this.claimTableBytes = claimTableBytes;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        hardsets = context.getStateStore(HARDSETS);
        ompState = context.getStateStore(OMP_STATE);
        candidateSources = context.getStateStore(CANDIDATE_SOURCES);
        topk = context.getStateStore(TOPK);
        subsets = context.getStateStore(SUBSETS);
        subsetCounts = context.getStateStore(SUBSET_COUNTS);
        pending = context.getStateStore(PENDING);
        policies = context.getStateStore(OWNER_POLICIES);
        revealed = context.getStateStore(REVEALED);
        claimLog = context.getStateStore(CLAIM_LOG);
        claims = new ClaimIndex(claimLog, context.getStateStore(CONTENT_CLAIMS), claimTableBytes, claimIndexRebuildsCounter);
        plans.clear();
        caps.clear();
        cappedPlans.clear();
        keyStates.clear();
        keysWaiting.clear();
        hardSetsHeld.clear();
        hardSetsRead = -1;
        try (KeyValueIterator<String, byte[]> it = pending.all()) {
            it.forEachRemaining(entry -> keysWaiting.add(ownerKeyOfPending(entry.key)));
        }
        context.schedule(SWEEP, PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Optional<RecordMetadata> metadata = context.recordMetadata();
        Origin origin = new Origin(metadata.map(RecordMetadata::topic).orElse(sampleVectors.name()),
                metadata.map(RecordMetadata::partition).orElse(null), metadata.map(RecordMetadata::offset).orElse(null),
                record.key(), record.value());
        Checked checked = check(record.key(), record.value());
        if (checked.problem() != null) {
            deadLetter(origin, checked.problem(), checked.cause());
            return;
        }
        String key = checked.key();
        SampleVectors batch = checked.batch();
        HardSetVectors hardSet = hardSet(batch.getRequestId());
        if (hardSet == null) {
            if (wasCancelled(key)) {
                deadLetter(origin, "request " + batch.getRequestId() + " was cancelled", null);
            } else {
                claimContent(batch);
                pending.put(pendingKey(key, origin), Pending.encode(record.timestamp(), origin));
                keysWaiting.add(key);
            }
            return;
        }
        RequestPlan plan;
        try {
            plan = planFor(key, hardSet);
        } catch (InvalidVectorException e) {
            deadLetter(origin, "request " + batch.getRequestId() + " cannot be served: " + e.getMessage(), e);
            return;
        }
        applyPending(key, plan);
        Map<SampleVector, String> claimedBefore = claimContent(batch);
        // Nearly every record copies nothing: then no sample pays for its identity hash.
        apply(key, batch, plan, record.timestamp(), origin,
                claimedBefore.isEmpty() ? (b, sample) -> null : (b, sample) -> claimedBefore.get(sample));
    }

    /**
     * Claims, for its sample, the content of each sample of an arriving batch that the request has not seen yet; returns
     * the first claim of each sample whose content another sample claimed first (by identity: no sample is hashed
     * again), so that applying the batch reads no claim again. A sample absent from the map claimed its content itself
     * or has no digest: both are neither a copy nor credited to another owner. The batch's new claims are logged
     * together, in arrival order.
     */
    private Map<SampleVector, String> claimContent(SampleVectors batch) {
        String requestId = batch.getRequestId();
        List<SampleVector> named = new ArrayList<>(batch.getSamples().size());
        for (SampleVector sample : batch.getSamples()) {
            if (sample.getContentDigest().hasRemaining()) {
                named.add(sample); // no digest names no content
            }
        }
        List<ByteBuffer> digests = new ArrayList<>(named.size());
        long[] fingerprints = new long[named.size()];
        for (int i = 0; i < fingerprints.length; i++) {
            digests.add(named.get(i).getContentDigest());
            fingerprints[i] = claims.fingerprint(requestId, digests.get(i));
        }
        String[] earlierClaims = claims.firstClaims(requestId, digests, fingerprints);
        Map<SampleVector, String> claimedBefore = new IdentityHashMap<>();
        int[] firstInBatch = firstOccurrences(digests, fingerprints);
        List<SampleVector> claiming = new ArrayList<>(named.size());
        long[] claimingFingerprints = new long[named.size()];
        for (int i = 0; i < named.size(); i++) {
            SampleVector sample = named.get(i);
            if (earlierClaims[i] != null) {
                claimedBefore.put(sample, earlierClaims[i]);
            } else if (firstInBatch[i] == i) {
                claimingFingerprints[claiming.size()] = fingerprints[i];
                claiming.add(sample);
            } else {
                claimedBefore.put(sample, ContentClaims.claim(batch.getOwnerId(), named.get(firstInBatch[i])));
            }
        }
        if (!claiming.isEmpty()) {
            claims.claim(requestId, batch.getOwnerId(), claiming, claimingFingerprints);
        }
        return claimedBefore;
    }

    /**
     * For each content of a record, the index of its first occurrence in the record: an open-addressing table of the
     * record's fingerprints (index + 1 a slot, 0 empty), the digests compared where fingerprints are equal.
     */
    private static int[] firstOccurrences(List<ByteBuffer> digests, long[] fingerprints) {
        int[] first = new int[fingerprints.length];
        int[] slots = new int[Integer.highestOneBit(Math.max(1, 2 * fingerprints.length)) << 1];
        int mask = slots.length - 1;
        for (int i = 0; i < fingerprints.length; i++) {
            int slot = (int) fingerprints[i] & mask;
            while (slots[slot] != 0 && !(fingerprints[slots[slot] - 1] == fingerprints[i]
                    && digests.get(slots[slot] - 1).equals(digests.get(i)))) {
                slot = (slot + 1) & mask;
            }
            if (slots[slot] == 0) {
                slots[slot] = i + 1;
            }
            first[i] = slots[slot] - 1;
        }
        return first;
    }

    /** Who claimed the content of {@code sample} of {@code batch} first ({@code owner|sampleId}), or null for no digest. */
    private String firstClaim(SampleVectors batch, SampleVector sample) {
        ByteBuffer digest = sample.getContentDigest();
        return digest.hasRemaining() ? claims.firstClaim(batch.getRequestId(), digest) : null;
    }

    @Override
    public void close() {
        if (sourceRecords != null) {
            sourceRecords.close();
            sourceRecords = null;
        }
    }

    /**
     * A {@code sample-vectors} record decoded and checked as far as it can be before its request is looked at: its key
     * and batch, or the problem (and its cause, if any) that makes it unusable.
     */
    private record Checked(String key, SampleVectors batch, String problem, Exception cause) {
    }

    /** Decodes and checks a record's bytes; processing and the candidate rebuild both read records through here. */
    private Checked check(byte[] recordKey, byte[] value) {
        String key;
        SampleVectors batch;
        try {
            key = decodeKey(recordKey);
            batch = decode(value);
        } catch (InvalidRecordException | WireFormatException e) {
            return new Checked(null, null, e.getMessage(), e);
        }
        return new Checked(key, batch, problemWith(key, batch), null);
    }

    /** The key of a record, which must be UTF-8 text. */
    private static String decodeKey(byte[] key) {
        if (key == null) {
            throw new InvalidRecordException("the record has no key; sample vectors are keyed requestId" + Keys.SEPARATOR + "ownerId");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRecordException("the key is not UTF-8 text");
        }
    }

    private SampleVectors decode(byte[] value) {
        if (value == null) {
            throw new InvalidRecordException("a tombstone (null value): sample vectors are never deleted, so it means nothing");
        }
        return sampleVectors.valueSerde().deserializer().deserialize(sampleVectors.name(), value);
    }

    /** What makes a decoded batch unusable before its request is looked at, or null. */
    private String problemWith(String key, SampleVectors batch) {
        String idProblem = Keys.idProblem(batch.getRequestId(), "requestId");
        if (idProblem == null) {
            idProblem = Keys.idProblem(batch.getOwnerId(), "ownerId");
        }
        if (idProblem != null) {
            return idProblem;
        }
        String expected = Keys.requestOwner(batch.getRequestId(), batch.getOwnerId());
        if (!expected.equals(key)) {
            return "key '" + key + "' does not match the batch's request and owner ('" + expected + "')";
        }
        if (batch.getSamples().size() > maxBatchSamples) {
            return "batch of " + batch.getSamples().size() + " samples exceeds " + MAX_BATCH_SAMPLES + " = " + maxBatchSamples;
        }
        return null;
    }

    /**
     * How many of {@code duplicateIds} (samples of {@code batch} whose content an earlier sample claimed) are counted for
     * the first time; each is recorded, so a re-sent sample is counted once.
     */
    private int countNewCopies(SampleVectors batch, List<String> duplicateIds) {
        int count = 0;
        for (String sampleId : duplicateIds) {
            String counted = ContentClaims.countedCopyKey(batch.getRequestId(), batch.getOwnerId(), sampleId);
            if (claimLog.get(counted) == null) {
                claimLog.put(counted, NOTHING);
                count++;
            }
        }
        return count;
    }

    /**
     * Validates every sample, offers the valid ones class by class, and emits an update if the subset changed. The
     * batch's bad samples, if any, make one dead letter of the record naming each of them. Under a plan that selects
     * on gradients, records the record's offset in {@value #CANDIDATE_SOURCES} as applied.
     */
    private void apply(String key, SampleVectors batch, RequestPlan plan, long timestamp, Origin origin,
                       BiFunction<SampleVectors, SampleVector, String> firstClaim) {
        if (batch.getModelVersion() != plan.modelVersion()) {
            deadLetter(origin, "vectors computed with model version " + batch.getModelVersion()
                    + ", request " + plan.requestId() + " uses version " + plan.modelVersion(), null);
            return;
        }
        List<InvalidVectorException> bad = new ArrayList<>();
        Offers offers = offers(batch, plan, c -> keyState(key).candidates(c.label()), firstClaim, bad::add);
        if (!bad.isEmpty()) {
            deadLetter(origin, String.join("; ", bad.stream().map(Exception::getMessage).toList()), bad.get(0));
        }
        Map<Integer, List<Candidate>> gradients = offers.gradients();
        Map<Integer, List<SampleEmbedding>> embeddings = offers.embeddings();
        boolean selectionMayChange = false;
        for (Map.Entry<Integer, List<Candidate>> offer : gradients.entrySet()) {
            String classKey = classKey(key, offer.getKey());
            IncrementalOmp.Offer result = omp(key, plan.classOf(offer.getKey())).offer(offer.getValue());
            selectionMayChange |= result.divergedAt() != 0;
            ompState.put(classKey, OmpStateCodec.encode(result.path()));
        }
        for (Map.Entry<Integer, List<SampleEmbedding>> offer : embeddings.entrySet()) {
            RequestPlan.ClassPlan c = plan.classOf(offer.getKey());
            String classKey = classKey(key, c.label());
            RetrieveTopKStream stream = topK(key, c);
            RetrieveTopK.Selection before = stream.selection();
            RetrieveTopKStream.Change change = stream.offer(offer.getValue());
            if (change.heapsChanged()) {
                // Most heap changes fall below the cut: the class's selection, and so the owner's, stays as published.
                selectionMayChange |= !stream.selection().equals(before);
                List<NeighbourHeap> heaps = stream.heaps();
                for (int h : change.changedHeaps()) {
                    topk.put(classKey + Keys.SEPARATOR + c.queries().get(h).sampleId(), NeighbourHeapCodec.encode(heaps.get(h)));
                }
                change.entered().forEach(o -> topk.put(heldVectorKey(classKey, o.sampleId()), Vectors.toBytes(o.vector()).array()));
                change.left().forEach(id -> topk.delete(heldVectorKey(classKey, id)));
            }
        }
        samplesCounter.increment(batch.getSamples().size());
        if (selectionMayChange) {
            keyState(key).selection = null;
        }
        emitIfChanged(key, plan, batch.getSamples().size(), countNewCopies(batch, offers.duplicates()), timestamp);
        // Last, so that a rebuild while this batch is applied never counts it in. Feature similarity keeps no candidates
        // (its heaps are in TOPK), so a rebuild reads no records for it: a write a record that nothing reads is spared.
        if (plan.usesGradients()) {
            candidateSources.put(offsetKey(key, offsetOf(origin)), NOTHING);
        }
    }

    /**
     * A batch's valid samples by class label, in batch order: the gradient candidates and the embeddings; and the ids of
     * its valid samples that copy content an earlier sample claimed.
     */
    private record Offers(Map<Integer, List<Candidate>> gradients, Map<Integer, List<SampleEmbedding>> embeddings, List<String> duplicates) {
    }

    /**
     * Checks every sample of {@code batch} and groups the valid ones by class; a bad one goes to {@code rejected}. A
     * sample id already stored (in {@code candidatesOf} its class) with another gradient is bad. A sample whose content
     * another owner claimed first ({@code firstClaim}) is left out. Applying a batch and rebuilding the candidates from
     * it both go through here, so both see the same offers.
     */
    private static Offers offers(SampleVectors batch, RequestPlan plan, Function<RequestPlan.ClassPlan, CandidateStore> candidatesOf,
                                 BiFunction<SampleVectors, SampleVector, String> firstClaim, Consumer<InvalidVectorException> rejected) {
        Map<Integer, List<Candidate>> gradients = new LinkedHashMap<>();
        Map<Integer, List<SampleEmbedding>> embeddings = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        Set<String> inBatch = new HashSet<>(2 * batch.getSamples().size());
        for (SampleVector sample : batch.getSamples()) {
            if (!inBatch.add(sample.getSampleId())) {
                continue; // a re-send within the batch
            }
            try {
                String idProblem = Keys.idProblem(sample.getSampleId(), "sampleId");
                if (idProblem != null) {
                    throw new InvalidVectorException(idProblem);
                }
                RequestPlan.Offer offer = plan.offer(sample);
                if (offer == null) {
                    continue; // a class the request does not ask for
                }
                String claim = firstClaim.apply(batch, sample);
                if (ContentClaims.isDuplicate(claim, batch.getOwnerId(), sample)) {
                    duplicates.add(sample.getSampleId());
                }
                if (ContentClaims.creditedToAnother(claim, batch.getOwnerId())) {
                    continue;
                }
                int label = offer.plan().label();
                if (offer.candidate() != null) {
                    Optional<Candidate> stored = candidatesOf.apply(offer.plan()).get(sample.getSampleId());
                    if (stored.isPresent() && !stored.get().sameFeatures(offer.candidate())) {
                        throw new InvalidVectorException("sample " + sample.getSampleId() + " was already offered with a different gradient");
                    }
                    gradients.computeIfAbsent(label, l -> new ArrayList<>()).add(offer.candidate());
                }
                if (offer.embedding() != null) {
                    embeddings.computeIfAbsent(label, l -> new ArrayList<>()).add(offer.embedding());
                }
            } catch (InvalidVectorException e) {
                rejected.accept(e);
            }
        }
        return new Offers(gradients, embeddings, duplicates);
    }

    private void emitIfChanged(String key, RequestPlan plan, int newSamples, int newDuplicates, long timestamp) {
        if (plan.classes().isEmpty()) {
            return; // the owner's cap is 0: nothing may be selected, so there is no subset to publish
        }
        KeyState state = keyState(key);
        SubsetUpdate stored = state.update != null ? state.update : subsets.get(key);
        // After a cancel the key holds the final, cancelled update: a request re-issued under the same id starts afresh.
        SubsetUpdate previous = stored == null || stored.getCancelled() ? null : stored;
        Counts counts = previous == null ? new Counts(0, 0)
                : state.counts != null ? state.counts : Counts.of(previous, subsetCounts.get(key));
        long seen = counts.samplesSeen() + newSamples;
        long duplicates = counts.duplicateSamples() + newDuplicates;
        state.counts = new Counts(seen, duplicates);
        subsetCounts.put(key, state.counts.encode());
        // The selection this key state last published stands while no class's selection may have changed since.
        boolean published = state.selection != null && state.selectionPlan == plan && previous != null;
        if (!published) {
            state.selection = plan.selection(Keys.ownerOf(key), c -> new RequestPlan.ClassSelection(
                    plan.usesGradients() ? omp(key, c).path().subset() : null,
                    plan.usesEmbeddings() ? topK(key, c).selection() : null));
            state.selectionPlan = plan;
        }
        OwnerSelection selection = state.selection;
        List<ClassSubset> classes = selection.classes();
        // An owner whose first samples are all copies is published too (empty subset), so the ranking shows its copies.
        boolean changed = previous == null ? duplicates > 0 || classes.stream().anyMatch(c -> !c.getSelected().isEmpty())
                : !published && (!previous.getClasses().equals(classes) || previous.getScore() != selection.score());
        if (previous != null && !changed) {
            return; // the published update stands; only its counts moved
        }
        long seq = stored == null ? 0 : stored.getSeq();
        SubsetUpdate update = SubsetUpdate.newBuilder().setRequestId(plan.requestId()).setOwnerId(Keys.ownerOf(key))
                .setSeq(changed ? seq + 1 : seq).setSamplesSeen(seen).setDuplicateSamples(duplicates).setClasses(classes).setScore(selection.score())
                .setAsOf(Instant.ofEpochMilli(timestamp)).build();
        subsets.put(key, update);
        state.update = update;
        if (changed) {
            changesCounter.increment();
            context.forward(new Record<>(key, update, timestamp));
            recordExposure(key, update, timestamp);
        }
    }

    /**
     * Adds the ids {@code update} reveals to the pair's revealed set (each new id one entry {@code request|owner|id}, so
     * an update writes only what it newly reveals) and forwards the ledger entry that says so.
     */
    private void recordExposure(String key, SubsetUpdate update, long timestamp) {
        Exposure before = Exposure.decode(revealed.get(key));
        KeyState state = keyState(key);
        if (state.revealed == null) {
            state.revealed = new HashSet<>(before.sampleIds()); // ids a store written before 2026-12-06 keeps in the pair's entry
            try (KeyValueIterator<String, byte[]> it = revealed.prefixScan(key + Keys.SEPARATOR, KEYS)) {
                it.forEachRemaining(kv -> state.revealed.add(kv.key.substring(key.length() + 1)));
            }
        }
        List<String> ids = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        for (ClassSubset c : update.getClasses()) {
            for (SelectedSample s : c.getSelected()) {
                ids.add(s.getSampleId());
                if (state.revealed.add(s.getSampleId())) {
                    fresh.add(s.getSampleId());
                    revealed.put(key + Keys.SEPARATOR + s.getSampleId(), NOTHING);
                }
            }
        }
        ExposureEntry entry = ExposureEntry.newBuilder().setOwnerId(update.getOwnerId()).setRequestId(update.getRequestId())
                .setRevealedTo(Keys.recipientOf(update.getRequestId())).setReason(ExposureReason.SUBSET)
                .setKind(ExposureKind.IDS_AND_WEIGHTS).setSubsetSeq(update.getSeq()).setSampleIds(ids).setNewlyRevealed(fresh)
                .setSamplesRevealed(ids.size()).setCap(before.cap()).setAsOf(Instant.ofEpochMilli(timestamp)).build();
        context.forward(new Record<>(update.getOwnerId(), entry, timestamp));
    }

    /**
     * The plan of {@code key}'s request under the owner's cap. The cap is read from {@value #OWNER_POLICIES} the first
     * time the pair is planned and kept in {@value #REVEALED}, so one request's selection for an owner never changes
     * budget midway (a later policy applies to later requests).
     */
    private RequestPlan planFor(String key, HardSetVectors hardSet) {
        RequestPlan plan = plan(hardSet);
        Integer cap = caps.computeIfAbsent(key, k -> {
            byte[] stored = revealed.get(k);
            if (stored != null) {
                return Optional.ofNullable(Exposure.decode(stored).cap());
            }
            Integer current = capOf(Keys.ownerOf(k));
            revealed.put(k, new Exposure(current, List.of()).encode());
            return Optional.ofNullable(current);
        }).orElse(null);
        if (cap == null || cap >= plan.budget()) {
            return plan;
        }
        String cappedKey = plan.requestId() + Keys.SEPARATOR + cap;
        RequestPlan capped = cappedPlans.get(cappedKey);
        if (capped == null || capped.computedAt() != plan.computedAt()) {
            capped = plan.capped(cap);
            cappedPlans.put(cappedKey, capped);
        }
        return capped;
    }

    /** The owner's current cap, or null; an undecodable policy (copied in by a restore) counts as none. */
    private Integer capOf(String ownerId) {
        try {
            ValueAndTimestamp<OwnerPolicy> policy = policies.get(ownerId);
            return policy == null || !ownerId.equals(policy.value().getOwnerId()) ? null : policy.value().getMaxSamplesPerRequest();
        } catch (WireFormatException e) {
            return null;
        }
    }

    /**
     * The class's streaming RetrieveTopK: one heap per query (hard sample, or a private request's noisy centroid), held
     * in memory with the key's other state and read from {@value #TOPK} when the key is not held.
     */
    private RetrieveTopKStream topK(String key, RequestPlan.ClassPlan c) {
        Map<Integer, RetrieveTopKStream> held = keyState(key).topKs;
        RetrieveTopKStream stream = held.get(c.label());
        if (stream == null) {
            stream = storedTopK(classKey(key, c.label()), c);
            held.put(c.label(), stream);
        }
        return stream;
    }

    /** The heaps stored under {@code classKey|query}, and the vectors of the samples they hold under {@code classKey||sampleId}. */
    private RetrieveTopKStream storedTopK(String classKey, RequestPlan.ClassPlan c) {
        List<NeighbourHeap> heaps = new ArrayList<>();
        for (SampleEmbedding query : c.queries()) {
            byte[] heap = topk.get(classKey + Keys.SEPARATOR + query.sampleId());
            if (heap == null) {
                return RetrieveTopKStream.start(c.k(), c.budget(), c.queries());
            }
            heaps.add(NeighbourHeapCodec.decode(heap));
        }
        int dim = c.queries().get(0).vector().length;
        return RetrieveTopKStream.restore(c.k(), c.budget(), c.queries(), heaps, id -> {
            byte[] vector = topk.get(heldVectorKey(classKey, id));
            return vector == null ? null : Vectors.fromBytes(ByteBuffer.wrap(vector), dim);
        });
    }

    /** Where a held neighbour's vector is stored: an empty query id, which no query has, then the sample id. */
    private static String heldVectorKey(String classKey, String sampleId) {
        return classKey + Keys.SEPARATOR + Keys.SEPARATOR + sampleId;
    }

    /**
     * The candidates and OMP objects of {@code key}'s classes, kept in memory between batches (an OMP object keeps its
     * working memory, so an offer does not recompute what the last one knew) while the candidate vectors of all held
     * keys fit {@code cacheFloats}; a key that is not held is rebuilt from its applied records.
     */
    private KeyState keyState(String key) {
        KeyState state = keyStates.get(key);
        if (state == null) {
            state = rebuildCandidates(key);
            keyStates.put(key, state);
            long total = keyStates.values().stream().mapToLong(KeyState::floats).sum();
            var eldest = keyStates.entrySet().iterator();
            while (total > cacheFloats && keyStates.size() > 1) {
                total -= eldest.next().getValue().floats();
                eldest.remove();
            }
        }
        return state;
    }

    /** The OMP object of one (request, owner, class): its stored path over the key's candidates. */
    private IncrementalOmp omp(String key, RequestPlan.ClassPlan c) {
        KeyState state = keyState(key);
        return state.omps.computeIfAbsent(c.label(), label -> {
            CandidateStore candidates = state.candidates(label);
            byte[] stored = ompState.get(classKey(key, label));
            return stored == null ? IncrementalOmp.start(c.target(), c.options(), candidates)
                    : IncrementalOmp.restore(c.target(), c.options(), candidates, stored);
        });
    }

    /**
     * The candidates of every class of {@code key}, rebuilt from the records listed in {@value #CANDIDATE_SOURCES}, read
     * back from this task's input partition: the same offers and candidate updates as when they were applied, in the
     * same order, so every class's candidates end as they were.
     */
    private KeyState rebuildCandidates(String key) {
        KeyState state = new KeyState();
        List<Long> offsets = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = candidateSources.prefixScan(key + Keys.SEPARATOR, KEYS)) {
            it.forEachRemaining(entry -> offsets.add(Long.parseLong(entry.key.substring(key.length() + 1))));
        }
        if (offsets.isEmpty()) {
            return state;
        }
        RequestPlan plan = planFor(key, hardSet(Keys.requestOf(key)));
        if (!plan.usesGradients()) {
            return state; // FEATURE keeps no candidates
        }
        if (sourceRecords == null) {
            sourceRecords = sourceRecordsFactory.apply(context);
        }
        rebuildsCounter.increment();
        sourceRecords.read(context.taskId().partition(), offsets, (recordKey, value) -> {
            // The checks of the record's bytes, as when it arrived: a listed record passed them (and the model-version
            // check, which is not repeated because it depends on the hard set, which may have been re-issued since).
            Checked checked = check(recordKey, value);
            if (checked.problem() != null || !key.equals(checked.key())) {
                return;
            }
            // Its bad samples were dead-lettered when it was applied: not again.
            Offers offers = offers(checked.batch(), plan, c -> state.candidates(c.label()), this::firstClaim, e -> { });
            offers.gradients().forEach((label, batchOfClass) -> {
                RequestPlan.ClassPlan c = plan.classOf(label);
                IncrementalOmp.admit(state.candidates(label), batchOfClass, c.target().length, c.options());
            });
        });
        return state;
    }

    private RequestPlan plan(HardSetVectors hardSet) {
        RequestPlan plan = plans.get(hardSet.getRequestId());
        if (plan == null || plan.computedAt() != hardSet.getComputedAt().toEpochMilli()) {
            plan = RequestPlan.of(hardSet);
            plans.put(hardSet.getRequestId(), plan);
        }
        return plan;
    }

    /**
     * What makes a decoded hard set unusable (a bad request or hard-sample id, or anything {@link RequestPlan#of}
     * refuses), or null. The global table of hard sets checks every record with this where it enters.
     */
    public static String problemWith(HardSetVectors hardSet) {
        String problem = Keys.idProblem(hardSet.getRequestId(), "requestId");
        for (var c : hardSet.getClasses()) {
            for (var hard : c.getHardSamples()) {
                problem = problem != null ? problem : Keys.idProblem(hard.getSampleId(), "hard sampleId");
            }
        }
        if (problem != null) {
            return problem;
        }
        try {
            RequestPlan.of(hardSet);
            return null;
        } catch (InvalidVectorException e) {
            return e.getMessage();
        }
    }

    /**
     * The hard set of {@code requestId}, or null; read from the global store again only after a hard set changed there
     * ({@link HardSetTable.Changes}). Undecodable bytes in the store count as no hard set.
     */
    private HardSetVectors hardSet(String requestId) {
        long changes = hardSetChanges.count();
        if (changes != hardSetsRead) {
            hardSetsHeld.clear();
            hardSetsRead = changes;
        }
        if (hardSetsHeld.containsKey(requestId)) {
            return hardSetsHeld.get(requestId);
        }
        HardSetVectors hardSet = storedHardSet(requestId);
        if (hardSetsHeld.size() >= MAX_HARD_SETS_HELD) {
            hardSetsHeld.clear();
        }
        hardSetsHeld.put(requestId, hardSet);
        return hardSet;
    }

    private HardSetVectors storedHardSet(String requestId) {
        try {
            ValueAndTimestamp<HardSetVectors> value = hardsets.get(requestId);
            // A hard set stored under another request's key is not that request's hard set.
            return value == null || !requestId.equals(value.value().getRequestId()) ? null : value.value();
        } catch (WireFormatException e) {
            return null;
        }
    }

    private boolean wasCancelled(String key) {
        SubsetUpdate stored = subsets.get(key);
        return stored != null && stored.getCancelled();
    }

    /**
     * Applies the batches of {@code key} that waited for its hard set, oldest first. A key with none waiting costs no
     * scan of the store.
     */
    private void applyPending(String key, RequestPlan plan) {
        if (!keysWaiting.remove(key)) {
            return;
        }
        List<KeyValue<String, byte[]>> waiting = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = pending.prefixScan(key + Keys.SEPARATOR, KEYS)) {
            it.forEachRemaining(waiting::add);
        }
        for (KeyValue<String, byte[]> entry : waiting) {
            pending.delete(entry.key);
            Pending p = Pending.decode(entry.value, sampleVectors.name(), key);
            apply(key, decode(p.origin().value()), plan, p.timestamp(), p.origin(), this::firstClaim);
        }
    }

    /** Once a second: apply batches whose hard set arrived, dead-letter those that waited too long, close cancelled requests. */
    private void sweep(long now) {
        Set<String> ready = new java.util.TreeSet<>();
        List<KeyValue<String, byte[]>> expired = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = pending.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                String key = ownerKeyOfPending(entry.key);
                if (hardSet(Keys.requestOf(key)) != null) {
                    ready.add(key);
                } else if (now - Pending.decode(entry.value, sampleVectors.name(), key).timestamp() > pendingTimeoutMs) {
                    expired.add(entry);
                }
            }
        }
        for (String key : ready) {
            applyPending(key, planFor(key, hardSet(Keys.requestOf(key))));
        }
        for (KeyValue<String, byte[]> entry : expired) {
            pending.delete(entry.key);
            String key = ownerKeyOfPending(entry.key);
            String reason = wasCancelled(key) ? "request " + Keys.requestOf(key) + " was cancelled"
                    : "request " + Keys.requestOf(key) + " is unknown: no hard set arrived within " + pendingTimeoutMs + " ms";
            deadLetter(Pending.decode(entry.value, sampleVectors.name(), key).origin(), reason, null);
        }
        List<SubsetUpdate> cancelled = new ArrayList<>();
        try (KeyValueIterator<String, SubsetUpdate> it = subsets.all()) {
            while (it.hasNext()) {
                KeyValue<String, SubsetUpdate> entry = it.next();
                if (!entry.value.getCancelled() && hardSet(entry.value.getRequestId()) == null) {
                    cancelled.add(current(entry.value, subsetCounts.get(entry.key)));
                }
            }
        }
        cancelled.forEach(update -> cancel(update, now));
    }

    /**
     * The request was cancelled: forget the owner's state and say so with a final update, which stays in
     * {@value #SUBSETS} so that late batches of the request are dead-lettered as cancelled, not unknown.
     */
    private void cancel(SubsetUpdate last, long now) {
        String key = Keys.requestOwner(last.getRequestId(), last.getOwnerId());
        for (KeyValueStore<String, byte[]> store : List.of(ompState, candidateSources, topk)) {
            List<String> doomed = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = store.prefixScan(key + Keys.SEPARATOR, KEYS)) {
                it.forEachRemaining(kv -> doomed.add(kv.key));
            }
            doomed.forEach(store::delete);
        }
        keyStates.remove(key);
        subsetCounts.delete(key);
        // A request re-issued under the same id starts with no claims: the first owner's cancel clears them all.
        claims.forget(last.getRequestId());
        plans.remove(last.getRequestId());
        cappedPlans.keySet().removeIf(k -> k.startsWith(last.getRequestId() + Keys.SEPARATOR));
        SubsetUpdate last2 = SubsetUpdate.newBuilder(last).setSeq(last.getSeq() + 1).setClasses(List.of())
                .setScore(0.0).setCancelled(true).setAsOf(Instant.ofEpochMilli(now)).build();
        subsets.put(key, last2);
        context.forward(new Record<>(key, last2, now));
    }

    private void deadLetter(Origin origin, String reason, Exception cause) {
        DeadLetter letter = DeadLetters.letter(STAGE, reason, cause, origin.topic(), origin.partition(), origin.offset(),
                origin.key(), origin.value(), Instant.ofEpochMilli(context.currentSystemTimeMs()));
        String key = origin.key() == null ? null : new String(origin.key(), StandardCharsets.UTF_8);
        context.forward(new Record<>(key, letter, context.currentSystemTimeMs()));
    }

    private static String pendingKey(String key, Origin origin) {
        return offsetKey(key, offsetOf(origin));
    }

    /** The record's offset; 0 when unknown, which happens only outside a stream task. */
    private static long offsetOf(Origin origin) {
        return origin.offset() == null ? 0L : origin.offset();
    }

    /** {@code request|owner|offset}, the offset zero-padded so that keys sort in offset order. */
    private static String offsetKey(String key, long offset) {
        String digits = Long.toString(offset);
        return key + Keys.SEPARATOR + "0".repeat(20 - digits.length()) + digits;
    }

    private static String ownerKeyOfPending(String pendingKey) {
        return pendingKey.substring(0, pendingKey.lastIndexOf(Keys.SEPARATOR));
    }

    private static String classKey(String key, int label) {
        return key + Keys.SEPARATOR + label;
    }

    /** One (request, owner)'s candidates and OMP objects, by class label. */
    private static final class KeyState {
        private final Map<Integer, InMemoryCandidateStore> candidates = new HashMap<>();
        private final Map<Integer, IncrementalOmp> omps = new HashMap<>();
        private final Map<Integer, RetrieveTopKStream> topKs = new HashMap<>();
        /** The last update stored in {@value #SUBSETS} for the key while this state is held (null: read the store). */
        private SubsetUpdate update;
        /** The counts stored in {@value #SUBSET_COUNTS} for the key while this state is held (null: read the store). */
        private Counts counts;
        /** The selection of {@link #update} under {@link #selectionPlan}; null once an offer may have changed it. */
        private OwnerSelection selection;
        private RequestPlan selectionPlan;
        /** Every sample id revealed to the request so far, as {@value #REVEALED} holds them (null: not read yet). */
        private Set<String> revealed;

        InMemoryCandidateStore candidates(int label) {
            return candidates.computeIfAbsent(label, l -> new InMemoryCandidateStore());
        }

        /** Floats held: the candidates, each OMP object's own (normalised) copy of each as an atom, and the heaps' vectors. */
        long floats() {
            return 2 * candidates.values().stream().mapToLong(InMemoryCandidateStore::floats).sum()
                    + topKs.values().stream().mapToLong(RetrieveTopKStream::floats).sum();
        }
    }

    /**
     * A pair's subset as it stands: {@code stored}, its update in {@value #SUBSETS} (null: none), with the counts stored
     * for it in {@value #SUBSET_COUNTS} ({@code counts}; null: those of {@code stored}). What GET
     * {@code /requests/{id}/owners/{owner}/subset} answers.
     */
    public static SubsetUpdate current(SubsetUpdate stored, byte[] counts) {
        if (stored == null || counts == null) {
            return stored;
        }
        Counts live = Counts.decode(counts);
        return live.samplesSeen() == stored.getSamplesSeen() && live.duplicateSamples() == stored.getDuplicateSamples() ? stored
                : SubsetUpdate.newBuilder(stored).setSamplesSeen(live.samplesSeen()).setDuplicateSamples(live.duplicateSamples()).build();
    }

    /** A pair's samples seen and duplicates counted, as {@value #SUBSET_COUNTS} holds them (two big-endian longs). */
    private record Counts(long samplesSeen, long duplicateSamples) {
        /** The counts of a pair whose update is {@code stored}: {@code counts} if stored, else the update's own. */
        static Counts of(SubsetUpdate stored, byte[] counts) {
            return counts == null ? new Counts(stored.getSamplesSeen(), stored.getDuplicateSamples()) : decode(counts);
        }

        static Counts decode(byte[] counts) {
            ByteBuffer in = ByteBuffer.wrap(counts);
            return new Counts(in.getLong(), in.getLong());
        }

        byte[] encode() {
            return ByteBuffer.allocate(16).putLong(samplesSeen).putLong(duplicateSamples).array();
        }
    }

    /**
     * A (request, owner)'s cap (null: none), and the sample ids revealed to the request as a store written before
     * 2026-12-06 kept them in the same entry (now: none; each revealed id is an entry of its own).
     */
    private record Exposure(Integer cap, List<String> sampleIds) {
        private static final int NO_CAP = Integer.MIN_VALUE;

        byte[] encode() {
            List<byte[]> ids = sampleIds.stream().map(id -> id.getBytes(StandardCharsets.UTF_8)).toList();
            ByteBuffer out = ByteBuffer.allocate(8 + ids.stream().mapToInt(id -> 4 + id.length).sum());
            out.putInt(cap == null ? NO_CAP : cap).putInt(ids.size());
            ids.forEach(id -> out.putInt(id.length).put(id));
            return out.array();
        }

        static Exposure decode(byte[] stored) {
            if (stored == null) {
                return new Exposure(null, List.of());
            }
            ByteBuffer in = ByteBuffer.wrap(stored);
            int cap = in.getInt();
            int n = in.getInt();
            List<String> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] id = new byte[in.getInt()];
                in.get(id);
                ids.add(new String(id, StandardCharsets.UTF_8));
            }
            return new Exposure(cap == NO_CAP ? null : cap, ids);
        }
    }

    /** Where a record came from and its bytes as read: what its dead letter carries. */
    private record Origin(String topic, Integer partition, Long offset, byte[] key, byte[] value) {
    }

    /** A waiting batch: its record timestamp, partition and offset (−1 if unknown), and its original value bytes. */
    private record Pending(long timestamp, Origin origin) {
        static byte[] encode(long timestamp, Origin origin) {
            return ByteBuffer.allocate(8 + 4 + 8 + origin.value().length).putLong(timestamp)
                    .putInt(origin.partition() == null ? -1 : origin.partition())
                    .putLong(origin.offset() == null ? -1 : origin.offset()).put(origin.value()).array();
        }

        /** The waiting batch of {@code key} read from {@code topic}, as stored by {@link #encode}. */
        static Pending decode(byte[] stored, String topic, String key) {
            ByteBuffer in = ByteBuffer.wrap(stored);
            long timestamp = in.getLong();
            int partition = in.getInt();
            long offset = in.getLong();
            byte[] value = new byte[in.remaining()];
            in.get(value);
            return new Pending(timestamp, new Origin(topic, partition < 0 ? null : partition, offset < 0 ? null : offset,
                    key.getBytes(StandardCharsets.UTF_8), value));
        }
    }
}
