package io.mycroft.cli.demo;

import io.mycroft.processors.math.Vectors;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
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
 * Watches the pipeline's topics for one request from their end at construction: owner samples ingested per owner
 * (keeping their features, for the evaluation), samples vectorised per owner, each owner's latest subset update and
 * every ranking published. One consumer (read_committed) on its own thread; readers get copies under the lock.
 */
final class PipelineMonitor implements AutoCloseable {
    private static final int MAX_FETCH_BYTES = 10 * 1024 * 1024;

    /** A ranking as published, with when the demo saw it (seconds since the monitor started). */
    record RankingSnapshot(double atSeconds, OwnerRanking ranking) {
    }

    /** An owner sample's features and label. */
    record Sample(float[] features, int label) {
    }

    private final String requestId;
    private final Set<String> owners;
    private final Topics topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private final Map<String, Integer> ingested = new HashMap<>();
    private final Map<String, Integer> vectorised = new HashMap<>();
    private final Map<String, Map<String, Sample>> samples = new HashMap<>();
    private final Map<String, SubsetUpdate> subsets = new HashMap<>();
    private final List<RankingSnapshot> rankings = new ArrayList<>();
    private volatile RuntimeException failure;
    private volatile boolean positioned;

    PipelineMonitor(String bootstrapServers, Topics topics, String requestId, Set<String> owners) {
        this.requestId = requestId;
        this.owners = owners;
        this.topics = topics;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_FETCH_BYTES,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * MAX_FETCH_BYTES), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<String, ?> t : List.of(topics.ownerSamples(), topics.sampleVectors(), topics.subsetUpdates(), topics.ownerRankings())) {
            consumer.partitionsFor(t.name()).forEach(p -> partitions.add(new TopicPartition(t.name(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, before anything of this run is published
        positioned = true;
        thread = new Thread(this::loop, "demo-monitor");
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
        if (topic.equals(topics.ownerSamples().name())) {
            if (!owners.contains(r.key())) {
                return;
            }
            OwnerSample s = decode(topics.ownerSamples(), r);
            synchronized (this) {
                ingested.merge(r.key(), 1, Integer::sum);
                if (s != null && s.getFeatures() != null) {
                    samples.computeIfAbsent(r.key(), k -> new HashMap<>()).put(s.getSampleId(),
                            new Sample(Vectors.fromBytes(s.getFeatures().getValues(), s.getFeatures().getDim()), s.getLabel()));
                }
            }
        } else if (topic.equals(topics.sampleVectors().name())) {
            if (!ofRequest(r.key())) {
                return;
            }
            SampleVectors v = decode(topics.sampleVectors(), r);
            synchronized (this) {
                vectorised.merge(Keys.ownerOf(r.key()), v == null ? 0 : v.getSamples().size(), Integer::sum);
            }
        } else if (topic.equals(topics.subsetUpdates().name())) {
            if (!ofRequest(r.key())) {
                return;
            }
            SubsetUpdate u = decode(topics.subsetUpdates(), r);
            synchronized (this) {
                subsets.put(Keys.ownerOf(r.key()), u);
            }
        } else if (topic.equals(topics.ownerRankings().name()) && requestId.equals(r.key())) {
            OwnerRanking ranking = decode(topics.ownerRankings(), r);
            synchronized (this) {
                rankings.add(new RankingSnapshot((System.nanoTime() - startNanos) / 1e9, ranking));
            }
        }
    }

    private boolean ofRequest(String key) {
        return key.startsWith(requestId + Keys.SEPARATOR) && owners.contains(Keys.ownerOf(key));
    }

    private static <V> V decode(Topic<String, V> topic, ConsumerRecord<String, byte[]> r) {
        return topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
    }

    void check() {
        if (failure != null) {
            throw new IllegalStateException("the demo's topic monitor failed: " + failure.getMessage(), failure);
        }
    }

    synchronized int ingested(String owner) {
        return ingested.getOrDefault(owner, 0);
    }

    synchronized int vectorised(String owner) {
        return vectorised.getOrDefault(owner, 0);
    }

    synchronized SubsetUpdate subset(String owner) {
        return subsets.get(owner);
    }

    synchronized Map<String, Sample> samples(String owner) {
        return new LinkedHashMap<>(samples.getOrDefault(owner, Map.of()));
    }

    synchronized OwnerRanking latestRanking() {
        return rankings.isEmpty() ? null : rankings.get(rankings.size() - 1).ranking();
    }

    synchronized List<RankingSnapshot> rankings() {
        return List.copyOf(rankings);
    }

    boolean positioned() {
        return positioned;
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
