package io.mycroft.inference.worker;

import ai.djl.Device;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.mycroft.inference.DjlRuntime;
import io.mycroft.processors.math.Vectors;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.OwnerSample;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An inference worker (DESIGN §1): one process of a plain consumer group over {@code owner-samples} and the owners' own
 * ingestion topics {@code owner-samples.<owner>} (a record of one is that owner's, see {@link SampleInputs#decode}). Per batch, inside
 * one Kafka transaction together with the consumer offsets (exactly once from owner-samples to sample-vectors):
 * <ol>
 *   <li>requests that arrived on {@code hardset-requests} since the last batch are registered on every owned
 *       partition ({@link RequestRegistration});</li>
 *   <li>the batch's owner samples become {@code SampleVectors} for every active request, keyed request|owner;</li>
 *   <li>one chunk of backfill per (partition, request) still backfilling ({@link Backfill}).</li>
 * </ol>
 * Bad samples (undecodable, wrong feature count, unknown label) become dead letters and the worker goes on.
 */
public final class InferenceWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceWorker.class);

    private final WorkerConfig config;
    private final int batchSize;
    private final Topics topics;
    private final Topic<String, OwnerSample> ownerSamples;
    /** Partition 0 of owner-samples: its owner speaks for a request and letters bad models, once for all workers. */
    private final TopicPartition speaker;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> live;
    private final Backfill backfill;
    private final RequestRegistration registration;
    private final CompactedView<ModelArtifact> models;
    private final ModelStore modelStore;
    /** IMAGE_CNN and other fixed extractors, loaded once per worker on first use. */
    private final FeatureExtractors extractors = new FeatureExtractors();
    private final Outputs outputs;
    private final Map<TopicPartition, PartitionRequests> owned = new TreeMap<>(
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
    private final Map<TopicPartition, Long> livePosition = new HashMap<>();
    /** The live batch being collected; a rebalance drops the records of partitions it takes away. */
    private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> batch = new LinkedHashMap<>();
    /**
     * Unusable records of the models topic this process has dead-lettered ("partition@offset"). The worker that owns
     * owner-samples partition 0 letters them; a restart letters them again (the view is re-read from the beginning).
     */
    private final Set<String> letteredModels = new HashSet<>();
    private final WorkerMetrics metrics;
    private volatile boolean running = true;

    public InferenceWorker(WorkerConfig config) {
        this(config, new CompositeMeterRegistry());
    }

    /** A worker whose metrics ({@link WorkerMetrics}) are registered in {@code meters}. */
    public InferenceWorker(WorkerConfig config, MeterRegistry meters) {
        this.config = config;
        Device device = DjlRuntime.device(config.device());
        this.batchSize = config.batchSize() > 0 ? config.batchSize() : DjlRuntime.defaultBatchSize(device);
        this.topics = Topics.from(config.common());
        this.ownerSamples = topics.ownerSamples();
        this.speaker = new TopicPartition(ownerSamples.name(), 0);
        this.modelStore = new ModelStore(device);
        this.producer = new KafkaProducer<>(config.producer());
        this.outputs = new Outputs(producer, topics);
        this.live = new KafkaConsumer<>(config.liveConsumer(batchSize));
        this.backfill = new Backfill(new KafkaConsumer<>(config.rawConsumer(batchSize)));
        this.registration = new RequestRegistration(new CompactedView<>(topics.hardsetRequests(),
                new KafkaConsumer<>(config.rawConsumer(batchSize)), CompactedView.ignore(), RequestRegistration::problemWith),
                modelStore, extractors, outputs);
        this.models = new CompactedView<>(topics.models(), new KafkaConsumer<>(config.rawConsumer(batchSize)),
                (id, artifact) -> modelStore.add(artifact), (key, artifact) -> key.equals(artifact.getModelId()) ? null
                        : "key '" + key + "' is not the model's id '" + artifact.getModelId() + "'");
        this.metrics = new WorkerMetrics(meters, live, producer, outputs::samplesSent, outputs::deadLettersSent);
        LOG.info("inference worker {} on {} (batch {}, linger {} ms, group {})", config.workerId(), device, batchSize,
                config.linger().toMillis(), config.groupId());
    }

    /** Runs until {@link #stop()} is called from another thread; a fenced (superseded) worker throws. */
    public void run() {
        producer.initTransactions();
        models.catchUp();
        registration.catchUp();
        live.subscribe(topics.ownerSamplesPattern(), new Rebalance());
        try {
            while (running) {
                pollBatch(backfillDue() ? Duration.ZERO : config.linger());
                models.poll(Duration.ZERO);
                registration.refresh();
                if (!owned.isEmpty() && (!batch.isEmpty() || registration.due(owned.values()) || backfillDue()
                        || !unletteredModels().isEmpty())) {
                    transaction();
                }
                batch.clear();
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        }
    }

    /** Backfill progress per request this worker has seen arrive, over the partitions it owns. */
    public Map<String, BackfillProgress> progress() {
        return backfill.progress();
    }

    /** Owner samples turned into vectors so far by this process (summed over requests, live and backfill). */
    public long samplesSent() {
        return outputs.samplesSent();
    }

    /**
     * Collects the next batch: up to {@link #batchSize} records, polling until it is full or {@code linger} has passed
     * since its first record ({@code firstWait} bounds the wait for that first record).
     */
    private void pollBatch(Duration firstWait) {
        int count = 0;
        long deadline = 0;
        ConsumerRecords<byte[], byte[]> records = live.poll(firstWait);
        while (true) {
            for (TopicPartition p : records.partitions()) {
                batch.computeIfAbsent(p, k -> new ArrayList<>()).addAll(records.records(p));
                count += records.records(p).size();
            }
            if (count == 0 || count >= batchSize) {
                return;
            }
            if (deadline == 0) {
                deadline = System.nanoTime() + config.linger().toNanos();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            records = live.poll(Duration.ofNanos(left));
        }
    }

    private void transaction() {
        long started = System.nanoTime();
        producer.beginTransaction();
        try {
            registration.register(owned, livePosition, speaker);
            List<CompactedView.Invalid> modelLetters = unletteredModels();
            modelLetters.forEach(m -> outputs.deadLetter(Outputs.STAGE + ".model", m.reason(), m.cause(), m.record().topic(),
                    m.record().partition(), m.record().offset(), m.record().key(), m.record().value()));
            for (Map.Entry<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> e : batch.entrySet()) {
                vectors(e.getKey(), e.getValue(), registration.servedOn(owned.get(e.getKey())), true);
                livePosition.put(e.getKey(), live.position(e.getKey()));
            }
            backfill.chunk(owned, registration.served(), (p, records, targets) -> vectors(p, records, targets, false));
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            owned.forEach((p, state) -> offsets.put(p, new OffsetAndMetadata(livePosition.get(p), state.encode())));
            producer.sendOffsetsToTransaction(offsets, live.groupMetadata());
            producer.commitTransaction();
            modelLetters.forEach(m -> letteredModels.add(m.record().partition() + "@" + m.record().offset()));
            metrics.batchCommitted(batch.values().stream().mapToInt(List::size).sum(), System.nanoTime() - started);
            backfill.logProgress(owned);
        } catch (WakeupException e) {
            producer.abortTransaction(); // stopped mid-batch: nothing of it becomes visible
            throw e;
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw new IllegalStateException("worker " + config.workerId() + " was superseded or lost its rights; stopping", e);
        } catch (KafkaException e) {
            LOG.warn("transaction aborted, rewinding to the last commit: {}", e.toString());
            producer.abortTransaction();
            restoreCommitted(owned.keySet());
        }
    }

    /**
     * Turns {@code records} of one partition into sample vectors for each of {@code targets}. Undecodable records are
     * dead-lettered only on the live pass (which sees every offset once); per-request problems on every pass.
     */
    private void vectors(TopicPartition p, List<ConsumerRecord<byte[], byte[]>> records, Map<String, RequestVectors> targets,
                         boolean livePass) {
        List<ConsumerRecord<byte[], byte[]>> sources = new ArrayList<>();
        List<OwnerSample> samples = new ArrayList<>();
        List<float[]> features = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                OwnerSample sample = decode(r);
                features.add(SampleInputs.features(sample, extractors));
                samples.add(sample);
                sources.add(r);
            } catch (BadSampleException e) {
                if (livePass) {
                    outputs.deadLetter(Outputs.STAGE, e.getMessage(), e.getCause() instanceof Exception c ? c : e,
                            r.topic(), r.partition(), r.offset(), r.key(), r.value());
                }
            }
        }
        for (Map.Entry<String, RequestVectors> t : targets.entrySet()) {
            RequestVectors request = t.getValue();
            Map<String, List<RequestVectors.Input>> byOwner = new LinkedHashMap<>();
            for (int i = 0; i < samples.size(); i++) {
                OwnerSample sample = samples.get(i);
                ConsumerRecord<byte[], byte[]> r = sources.get(i);
                try {
                    SampleInputs.check(sample, features.get(i), request.inputs(), request.classes(), request.model());
                    byOwner.computeIfAbsent(sample.getOwnerId(), o -> new ArrayList<>())
                            .add(new RequestVectors.Input(sample, features.get(i), r.offset(), digest(features.get(i))));
                } catch (BadSampleException e) {
                    outputs.deadLetter(Outputs.STAGE, "request " + t.getKey() + ": " + e.getMessage(), e,
                            r.topic(), r.partition(), r.offset(), r.key(), r.value());
                }
            }
            byOwner.forEach((owner, inputs) -> outputs.samples(t.getKey(), owner, request.modelVersion(), request.samples(inputs)));
        }
    }

    /** The unusable models not yet dead-lettered, if this worker is the one to letter them (it owns the speaker). */
    private List<CompactedView.Invalid> unletteredModels() {
        if (!owned.containsKey(speaker)) {
            return List.of();
        }
        return models.invalid().values().stream()
                .filter(m -> !letteredModels.contains(m.record().partition() + "@" + m.record().offset())).toList();
    }

    private OwnerSample decode(ConsumerRecord<byte[], byte[]> r) throws BadSampleException {
        return SampleInputs.decode(ownerSamples, topics.channelOwner(r.topic()), r);
    }

    private boolean backfillDue() {
        return backfill.due(owned, registration.served());
    }

    /** Positions and request state of {@code partitions} as last committed (after an assignment or an abort). */
    private void restoreCommitted(Collection<TopicPartition> partitions) {
        Set<TopicPartition> set = Set.copyOf(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = live.committed(set);
        backfill.readLogStart(set);
        for (TopicPartition p : set) {
            OffsetAndMetadata c = committed.get(p);
            owned.put(p, PartitionRequests.decode(c == null ? null : c.metadata()));
            if (c != null) {
                live.seek(p, c.offset());
            }
            livePosition.put(p, live.position(p));
        }
    }

    private static ByteBuffer digest(float[] features) {
        try {
            ByteBuffer bytes = Vectors.toBytes(features);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bytes);
            return ByteBuffer.wrap(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the loop; the current transaction, if any, is aborted by closing the producer. */
    public void stop() {
        running = false;
        live.wakeup();
    }

    @Override
    public void close() {
        metrics.close();
        live.close();
        backfill.close();
        registration.close();
        models.close();
        producer.close();
        modelStore.close();
        extractors.close();
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(p -> {
                batch.remove(p);
                owned.remove(p);
                livePosition.remove(p);
                backfill.forget(p);
            });
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            restoreCommitted(partitions);
            LOG.info("worker {} owns {}", config.workerId(), owned.keySet());
        }
    }
}
