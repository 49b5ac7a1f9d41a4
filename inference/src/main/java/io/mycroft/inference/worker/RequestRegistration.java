package io.mycroft.inference.worker;

import io.mycroft.processors.math.AnalyticGaussian;
import io.mycroft.schemas.Keys;
import mycroft.schemas.HardSetPrivacy;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.HardSetVectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request registration: which hard-set requests the worker serves, and their arrival, rejection and cancellation in the
 * {@link PartitionRequests} of every owned partition. Every worker prepares every request (model loaded, hard-set
 * vectors computed), so all agree on which are rejected; the owner of owner-samples' partition 0 speaks for a request: it publishes
 * its hard-set vectors, the dead letter of a rejected one and the tombstone of a cancelled one.
 */
final class RequestRegistration implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RequestRegistration.class);

    private final CompactedView<HardSetRequest> requests;
    private final ModelStore modelStore;
    private final FeatureExtractors extractors;
    private final Outputs outputs;
    private final Map<String, RequestVectors> served = new HashMap<>();
    private final Map<String, HardSetVectors> hardSets = new HashMap<>();
    private final Map<String, RequestRejectedException> rejected = new HashMap<>();

    RequestRegistration(CompactedView<HardSetRequest> requests,
                        ModelStore modelStore, FeatureExtractors extractors, Outputs outputs) {
        this.requests = requests;
        this.modelStore = modelStore;
        this.extractors = extractors;
        this.outputs = outputs;
    }

    /** Reads hardset-requests to its end (at start). */
    void catchUp() {
        requests.catchUp();
    }

    /**
     * Reads the requests that arrived since the last call, loads the model and computes the hard-set vectors of every
     * request that became known; a request whose model is not on the models topic yet waits for it.
     */
    void refresh() {
        requests.poll(Duration.ZERO);
        requests.invalid().forEach((id, invalid) -> rejected.computeIfAbsent(id,
                i -> new RequestRejectedException("request " + i + ": " + invalid.reason(), invalid.cause())));
        for (HardSetRequest r : requests.values().values()) {
            String id = r.getRequestId();
            if (served.containsKey(id) || rejected.containsKey(id) || !modelStore.has(r.getModelId(), r.getModelVersion())) {
                continue;
            }
            try {
                RequestVectors vectors = RequestVectors.of(r, modelStore.network(r.getModelId(), r.getModelVersion()), extractors);
                hardSets.put(id, vectors.hardSet(Instant.now()));
                served.put(id, vectors);
            } catch (RequestRejectedException e) {
                rejected.put(id, e);
            } catch (RuntimeException e) {
                rejected.put(id, new RequestRejectedException("request " + id + ": " + e.getMessage(), e));
            }
        }
        served.keySet().removeIf(id -> requests.get(id) == null);
        hardSets.keySet().removeIf(id -> requests.get(id) == null);
        rejected.keySet().removeIf(id -> !requests.contains(id));
    }

    /** The requests served: prepared, not rejected, not cancelled. */
    Map<String, RequestVectors> served() {
        return Collections.unmodifiableMap(served);
    }

    /** Whether an arrival, rejection or cancellation is not yet registered on one of {@code owned}. */
    boolean due(Collection<PartitionRequests> owned) {
        for (PartitionRequests state : owned) {
            for (String id : served.keySet()) {
                if (state.get(id) == null) {
                    return true;
                }
            }
            for (String id : rejected.keySet()) {
                if (state.get(id) == null) {
                    return true;
                }
            }
            for (String id : state.entries().keySet()) {
                if (!requests.contains(id)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Registers arrivals (backfill below the partition's live position) and cancellations on every owned partition,
     * inside the worker's transaction; {@code speaker} (partition 0 of owner-samples) speaks for the request.
     */
    void register(Map<TopicPartition, PartitionRequests> owned, Map<TopicPartition, Long> livePosition, TopicPartition speaker) {
        for (Map.Entry<TopicPartition, PartitionRequests> e : owned.entrySet()) {
            TopicPartition p = e.getKey();
            PartitionRequests state = e.getValue();
            boolean speaks = p.equals(speaker);
            for (String id : served.keySet()) {
                if (state.get(id) == null) {
                    if (speaks) {
                        outputs.hardSet(hardSets.get(id));
                    }
                    state.arrive(id, livePosition.get(p));
                    LOG.info("request {} arrived on {}: backfill of offsets below {}", id, p, livePosition.get(p));
                }
            }
            for (Map.Entry<String, RequestRejectedException> r : rejected.entrySet()) {
                if (state.get(r.getKey()) == null) {
                    state.reject(r.getKey());
                    if (speaks) {
                        reject(r.getKey(), r.getValue());
                    }
                }
            }
            for (String id : List.copyOf(state.entries().keySet())) {
                if (!requests.contains(id)) {
                    state.forget(id);
                    if (speaks) {
                        outputs.hardSetCancelled(id);
                    }
                    LOG.info("request {} cancelled: its samples are skipped from now on", id);
                }
            }
        }
    }

    /** The requests served on a partition: registered there, not rejected. */
    Map<String, RequestVectors> servedOn(PartitionRequests state) {
        Map<String, RequestVectors> out = new LinkedHashMap<>();
        state.entries().forEach((id, entry) -> {
            if (!entry.rejected() && served.containsKey(id)) {
                out.put(id, served.get(id));
            }
        });
        return out;
    }

    /** Dead-letters the request's latest record, as it was read. */
    private void reject(String id, RequestRejectedException e) {
        LOG.warn("rejecting request {}: {}", id, e.getMessage());
        CompactedView.Invalid invalid = requests.invalid().get(id);
        ConsumerRecord<byte[], byte[]> record = invalid != null ? invalid.record() : requests.record(id);
        outputs.deadLetter(Outputs.STAGE + ".request", e.getMessage(), e.getCause() instanceof Exception c ? c : e,
                record.topic(), record.partition(), record.offset(), record.key(), record.value());
    }

    /**
     * What makes a decoded request unusable before any model is looked at: ids that cannot be keys, or a key that is not
     * the request's id; null if none. The hardset-requests view checks every record with this.
     */
    static String problemWith(String key, HardSetRequest request) {
        String problem = Keys.idProblem(request.getRequestId(), "requestId");
        for (var hard : request.getHardSamples()) {
            problem = problem != null ? problem : Keys.idProblem(hard.getSampleId(), "hard sampleId");
        }
        if (problem == null && !request.getRequestId().equals(key)) {
            problem = "key '" + key + "' is not the request's id '" + request.getRequestId() + "'";
        }
        return problem != null ? problem : privacyProblem(request);
    }

    /** What makes a request's differential-privacy settings unusable, or null. */
    private static String privacyProblem(HardSetRequest request) {
        HardSetPrivacy p = request.getPrivacy();
        if (p == null) {
            return null;
        }
        if (request.getOptions().getLabelConsistencyNeighbours() != null) {
            return "privacy and label consistency do not go together: label consistency compares owner samples with single"
                    + " hard samples' embeddings, which a private request does not share";
        }
        if (!(p.getEpsilon() > 0 && p.getEpsilon() <= AnalyticGaussian.MAX_EPSILON)) {
            return "privacy.epsilon must be > 0 and ≤ " + AnalyticGaussian.MAX_EPSILON + ", was " + p.getEpsilon();
        }
        if (!(p.getDelta() > 0 && p.getDelta() < 1)) {
            return "privacy.delta must be in (0, 1), was " + p.getDelta();
        }
        if (!(p.getClipNorm() > 0) || !Double.isFinite(p.getClipNorm())) {
            return "privacy.clipNorm must be finite and > 0, was " + p.getClipNorm();
        }
        return null;
    }

    @Override
    public void close() {
        requests.close();
    }
}
