package io.mycroft.topology;

import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import mycroft.schemas.ClassSubset;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the dashboard shows besides the ranking store: one read_committed consumer per instance reads, from the
 * beginning, {@code owner-samples} and the owners' own {@code owner-samples.<o>} (samples ingested per owner; values not
 * decoded; own topics created later join within {@link #TOPIC_DISCOVERY}), {@code sample-vectors} (samples
 * vectorised per request and owner), {@code subset-updates} (each owner's score and residual over
 * time), {@code owner-rankings} (the requests and their latest ranking) and {@code dead-letters} (count per stage and the
 * latest reasons). Every instance reads every partition, so any instance can serve the page. Readers get copies.
 */
final class DashboardFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);
    /** Points kept per (request, owner) series: a long request keeps its latest ones. */
    static final int MAX_POINTS = 1_000;
    static final int LATEST_DEAD_LETTERS = 10;
    static final Duration TOPIC_DISCOVERY = Duration.ofSeconds(30);

    /** One point of an owner's series: its score and mean relative residual (1/C)·Σ_c ‖r_c‖/‖y_c‖ after an update. */
    record Point(long asOf, double score, Double residual, long samplesSeen, int subsetSize) {
    }

    record DeadLetterNote(String stage, String reason, String topic, long failedAt) {
    }

    private final Topics topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final Map<String, Long> ingested = new HashMap<>();
    private final Map<String, Long> vectorised = new HashMap<>();
    private final Map<String, Deque<Point>> series = new HashMap<>();
    private final Map<String, OwnerRanking> rankings = new TreeMap<>();
    private final Map<String, Long> deadLettersByStage = new TreeMap<>();
    private final Deque<DeadLetterNote> latestDeadLetters = new ArrayDeque<>();
    private long deadLetters;
    private long version;

    DashboardFeed(MycroftStreamsConfig config) {
        topics = config.topics();
        Properties props = new Properties();
        props.putAll(config.clientSettings());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "mycroft-dashboard-feed");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic<String, ?> t : List.of(topics.ownerSamples(), topics.sampleVectors(), topics.subsetUpdates(),
                    topics.ownerRankings(), topics.deadLetters())) {
                consumer.partitionsFor(t.name()).forEach(p -> partitions.add(new TopicPartition(t.name(), p.partition())));
            }
            assignWithOwnersTopics(partitions);
            long discovered = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                if (System.nanoTime() - discovered >= TOPIC_DISCOVERY.toNanos()) {
                    assignWithOwnersTopics(partitions);
                    discovered = System.nanoTime();
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        try {
                            take(record);
                        } catch (RuntimeException e) {
                            // A record the pipeline dead-letters anyway (bad bytes): the page just does not count it.
                            LOG.debug("dashboard skipped {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // close() woke us to stop
        } catch (RuntimeException e) {
            LOG.error("dashboard feed stopped; the page's progress and dead letters no longer update", e);
        } finally {
            consumer.close();
        }
    }

    /** Adds the partitions of owners' own topics not yet in {@code partitions}, and reads the new ones from the beginning. */
    private void assignWithOwnersTopics(List<TopicPartition> partitions) {
        boolean first = consumer.assignment().isEmpty();
        List<TopicPartition> added = new ArrayList<>();
        for (String topic : consumer.listTopics().keySet()) {
            if (topics.channelOwner(topic).isPresent()) {
                consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition()))
                        .filter(p -> !partitions.contains(p)).forEach(added::add);
            }
        }
        if (added.isEmpty() && !first) {
            return;
        }
        partitions.addAll(added);
        consumer.assign(partitions);
        consumer.seekToBeginning(first ? partitions : added);
    }

    private synchronized void take(ConsumerRecord<String, byte[]> record) {
        String topic = record.topic();
        if (topic.equals(topics.ownerSamples().name())) {
            ingested.merge(record.key(), 1L, Long::sum);
        } else if (topics.channelOwner(topic).isPresent()) { // the topic names the owner
            ingested.merge(topics.channelOwner(topic).get(), 1L, Long::sum);
        } else if (topic.equals(topics.sampleVectors().name())) {
            SampleVectors batch = decode(topics.sampleVectors(), record);
            String key = Keys.requestOwner(batch.getRequestId(), batch.getOwnerId());
            vectorised.merge(key, (long) batch.getSamples().size(), Long::sum);
        } else if (topic.equals(topics.subsetUpdates().name())) {
            SubsetUpdate update = decode(topics.subsetUpdates(), record);
            Deque<Point> points = series.computeIfAbsent(Keys.requestOwner(update.getRequestId(), update.getOwnerId()),
                    k -> new ArrayDeque<>());
            if (!update.getCancelled()) {
                points.addLast(point(update));
                if (points.size() > MAX_POINTS) {
                    points.removeFirst();
                }
            }
        } else if (topic.equals(topics.ownerRankings().name())) {
            OwnerRanking ranking = decode(topics.ownerRankings(), record);
            rankings.put(ranking.getRequestId(), ranking);
        } else if (topic.equals(topics.deadLetters().name())) {
            DeadLetter letter = decode(topics.deadLetters(), record);
            deadLetters++;
            deadLettersByStage.merge(letter.getStage(), 1L, Long::sum);
            latestDeadLetters.addFirst(new DeadLetterNote(letter.getStage(), letter.getReason(), letter.getTopic(),
                    letter.getFailedAt().toEpochMilli()));
            if (latestDeadLetters.size() > LATEST_DEAD_LETTERS) {
                latestDeadLetters.removeLast();
            }
        }
        version++;
    }

    private static Point point(SubsetUpdate update) {
        double relative = 0;
        int gradientClasses = 0;
        int size = 0;
        for (ClassSubset c : update.getClasses()) {
            size += c.getSelected().size();
            if (c.getTargetNorm() > 0) {
                relative += c.getResidualNorm() / c.getTargetNorm();
                gradientClasses++;
            }
        }
        return new Point(update.getAsOf().toEpochMilli(), update.getScore(),
                gradientClasses == 0 ? null : relative / gradientClasses, update.getSamplesSeen(), size);
    }

    private static <V> V decode(Topic<String, V> topic, ConsumerRecord<String, byte[]> record) {
        return topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
    }

    /** Grows whenever anything the page shows changed: the SSE stream sends a snapshot only then. */
    synchronized long version() {
        return version;
    }

    /** The requests seen on owner-rankings, each with its latest ranking. */
    synchronized Map<String, OwnerRanking> rankings() {
        return new TreeMap<>(rankings);
    }

    /**
     * Request {@code requestId} as the page shows it: per owner (those with vectors or a subset for the request)
     * samples ingested (over all requests) and vectorised for this request, and its score/residual series (its duplicates
     * are in the ranking).
     */
    synchronized Map<String, Object> request(String requestId) {
        Set<String> owners = new TreeSet<>();
        for (String key : vectorised.keySet()) {
            if (Keys.requestOf(key).equals(requestId)) {
                owners.add(Keys.ownerOf(key));
            }
        }
        for (String key : series.keySet()) {
            if (Keys.requestOf(key).equals(requestId)) {
                owners.add(Keys.ownerOf(key));
            }
        }
        Map<String, Object> perOwner = new LinkedHashMap<>();
        for (String owner : owners) {
            String key = Keys.requestOwner(requestId, owner);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("ingested", ingested.getOrDefault(owner, 0L));
            o.put("vectorised", vectorised.getOrDefault(key, 0L));
            o.put("series", List.copyOf(series.getOrDefault(key, new ArrayDeque<>())));
            perOwner.put(owner, o);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("requestId", requestId);
        json.put("owners", perOwner);
        return json;
    }

    /** Dead letters so far: the count, per stage, and the latest few, newest first. */
    synchronized Map<String, Object> deadLetters() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("count", deadLetters);
        json.put("byStage", new TreeMap<>(deadLettersByStage));
        json.put("latest", List.copyOf(latestDeadLetters));
        return json;
    }

    @Override
    public void close() {
        if (thread.getState() == Thread.State.NEW) {
            consumer.close();
            return;
        }
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
