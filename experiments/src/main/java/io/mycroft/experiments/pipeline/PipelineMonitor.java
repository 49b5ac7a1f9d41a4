package io.mycroft.experiments.pipeline;

import io.mycroft.processors.math.Vectors;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Watches the pipeline's topics for some requests and owners from their end at construction: owner samples ingested
 * per owner (keeping their features, in arrival order, for the model trainer's fine-tuning), samples vectorised per
 * (request, owner), each (request, owner)'s latest subset update and every ranking published per request; optionally
 * the published hard-set and sample vectors themselves (to re-run selection in batch form on exactly those inputs).
 * One consumer (read_committed) on its own thread; readers get copies under the lock.
 */
public final class PipelineMonitor implements AutoCloseable {
    private static final int MAX_FETCH_BYTES = 10 * 1024 * 1024;

    /** A ranking as published, with when the monitor saw it (seconds since it started). */
    public record RankingSnapshot(double atSeconds, OwnerRanking ranking) {
    }

    /** An owner sample's features and label. */
    public record Sample(float[] features, int label) {
    }

    private final Set<String> requests;
    private final Set<String> owners;
    private final boolean keepVectors;
    private final Topics topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private final Map<String, Integer> ingested = new HashMap<>();
    private final Map<String, Integer> vectorised = new HashMap<>();
    private final Map<String, Map<String, Sample>> samples = new HashMap<>();
    private final Map<String, SubsetUpdate> subsets = new HashMap<>();
    private final Map<String, List<RankingSnapshot>> rankings = new HashMap<>();
    private final Map<String, HardSetVectors> hardSets = new HashMap<>();
    private final Map<String, List<SampleVectors>> vectors = new HashMap<>();
    /** Per request, every owner's batches in the order of the request's partition (Keys.requestPartition). */
    private final Map<String, List<SampleVectors>> requestVectors = new HashMap<>();
    private volatile RuntimeException failure;

    /**
     * @param client the bootstrap servers and the login of the principal the monitor reads as
     * @param keepVectors keep every HardSetVectors and SampleVectors of the requests (memory: all their vectors)
     */
    public PipelineMonitor(Map<String, String> client, Topics topics, Set<String> requests, Set<String> owners, boolean keepVectors) {
        this.requests = Set.copyOf(requests);
        this.owners = Set.copyOf(owners);
        this.keepVectors = keepVectors;
        this.topics = topics;
        Map<String, Object> consumerConfig = new HashMap<>(client);
        consumerConfig.putAll(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false, // an owner without its own topic gets none
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_FETCH_BYTES,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * MAX_FETCH_BYTES));
        this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        List<Topic<String, ?>> watched = new ArrayList<>(List.of(topics.ownerSamples(), topics.hardsetVectors(),
                topics.sampleVectors(), topics.subsetUpdates(), topics.ownerRankings()));
        // Owners with their own producer write their own topic (owner-samples.<o>), if it exists by now.
        owners.stream().filter(o -> Topics.ingestionOwnerProblem(o) == null).map(topics::ownerIngestion).forEach(watched::add);
        for (Topic<String, ?> t : watched) {
            consumer.partitionsFor(t.name()).forEach(p -> partitions.add(new TopicPartition(t.name(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, before anything of this run is published
        thread = new Thread(this::loop, "pipeline-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null && r.key() != null) {
                        handle(r);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        String topic = r.topic();
        // owner-samples' key is the owner; an owner's own topic names it (and the worker takes only records naming it).
        String owner = topic.equals(topics.ownerSamples().name()) ? r.key() : topics.channelOwner(topic).orElse(null);
        if (owner != null) {
            if (!owners.contains(owner)) {
                return;
            }
            OwnerSample s = decode(topics.ownerSamples(), r);
            if (!topic.equals(topics.ownerSamples().name()) && (s == null || !owner.equals(s.getOwnerId()))) {
                return;
            }
            synchronized (this) {
                ingested.merge(owner, 1, Integer::sum);
                if (s != null && s.getFeatures() != null) {
                    samples.computeIfAbsent(owner, k -> new LinkedHashMap<>()).put(s.getSampleId(),
                            new Sample(Vectors.fromBytes(s.getFeatures().getValues(), s.getFeatures().getDim()), s.getLabel()));
                }
            }
        } else if (topic.equals(topics.hardsetVectors().name())) {
            if (keepVectors && requests.contains(r.key())) {
                HardSetVectors h = decode(topics.hardsetVectors(), r);
                synchronized (this) {
                    hardSets.put(r.key(), h);
                }
            }
        } else if (topic.equals(topics.sampleVectors().name())) {
            if (!watched(r.key())) {
                return;
            }
            SampleVectors v = decode(topics.sampleVectors(), r);
            synchronized (this) {
                vectorised.merge(r.key(), v == null ? 0 : v.getSamples().size(), Integer::sum);
                if (keepVectors && v != null) {
                    vectors.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(v);
                    requestVectors.computeIfAbsent(Keys.requestOf(r.key()), k -> new ArrayList<>()).add(v);
                }
            }
        } else if (topic.equals(topics.subsetUpdates().name())) {
            if (!watched(r.key())) {
                return;
            }
            SubsetUpdate u = decode(topics.subsetUpdates(), r);
            synchronized (this) {
                subsets.put(r.key(), u);
            }
        } else if (topic.equals(topics.ownerRankings().name()) && requests.contains(r.key())) {
            OwnerRanking ranking = decode(topics.ownerRankings(), r);
            synchronized (this) {
                rankings.computeIfAbsent(r.key(), k -> new ArrayList<>())
                        .add(new RankingSnapshot((System.nanoTime() - startNanos) / 1e9, ranking));
            }
        }
    }

    /** A request|owner key of a watched request and owner. */
    private boolean watched(String key) {
        int at = key.indexOf(Keys.SEPARATOR);
        return at > 0 && requests.contains(key.substring(0, at)) && owners.contains(Keys.ownerOf(key));
    }

    private static <V> V decode(Topic<String, V> topic, ConsumerRecord<String, byte[]> r) {
        return topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
    }

    /** Throws if the monitor's consumer failed. */
    public void check() {
        if (failure != null) {
            throw new IllegalStateException("the topic monitor failed: " + failure.getMessage(), failure);
        }
    }

    public synchronized int ingested(String owner) {
        return ingested.getOrDefault(owner, 0);
    }

    public synchronized int vectorised(String request, String owner) {
        return vectorised.getOrDefault(Keys.requestOwner(request, owner), 0);
    }

    public synchronized SubsetUpdate subset(String request, String owner) {
        return subsets.get(Keys.requestOwner(request, owner));
    }

    /** The owner's samples by id, in arrival order. */
    public synchronized Map<String, Sample> samples(String owner) {
        return new LinkedHashMap<>(samples.getOrDefault(owner, Map.of()));
    }

    public synchronized OwnerRanking latestRanking(String request) {
        List<RankingSnapshot> r = rankings.getOrDefault(request, List.of());
        return r.isEmpty() ? null : r.get(r.size() - 1).ranking();
    }

    public synchronized List<RankingSnapshot> rankings(String request) {
        return List.copyOf(rankings.getOrDefault(request, List.of()));
    }

    /** The request's hard-set vectors as published (kept only with {@code keepVectors}). */
    public synchronized HardSetVectors hardSet(String request) {
        return hardSets.get(request);
    }

    /** The owner's vector batches for the request as published, in order (kept only with {@code keepVectors}). */
    public synchronized List<SampleVectors> vectors(String request, String owner) {
        return List.copyOf(vectors.getOrDefault(Keys.requestOwner(request, owner), List.of()));
    }

    /**
     * Every owner's vector batches for the request as published, in the offset order of the request's partition
     * (kept only with {@code keepVectors}): what decides which owner a copied content is credited to.
     */
    public synchronized List<SampleVectors> vectors(String request) {
        return List.copyOf(requestVectors.getOrDefault(request, List.of()));
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
