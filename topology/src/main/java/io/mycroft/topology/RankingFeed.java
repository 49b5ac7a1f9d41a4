package io.mycroft.topology;

import io.mycroft.processors.DeadLetters;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.serde.WireFormatException;
import mycroft.schemas.OwnerRanking;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Supplier;

/**
 * Live rankings for dashboards: one consumer per instance tails {@code owner-rankings} (committed records only, from
 * the end: a new subscriber gets the current ranking from the store first) and hands each ranking to the subscribers
 * of its request. Every instance can serve every request, whichever instance computes it.
 *
 * <p>A record that does not decode is dead-lettered (by the instance that read it: each instance's feed reads every
 * record) and skipped. If the feed stops for any other reason, {@link #failure()} says why and {@code /health} is down.
 */
final class RankingFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RankingFeed.class);
    static final String STAGE = "streams.ranking-feed";

    private final Consumer<byte[], byte[]> consumer;
    private final Topic<String, OwnerRanking> topic;
    private final DeadLetters deadLetters;
    private final Supplier<Producer<byte[], byte[]>> letterProducer;
    private Producer<byte[], byte[]> letters;
    private final Map<String, Set<java.util.function.Consumer<OwnerRanking>>> subscribers = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile RuntimeException failure;

    RankingFeed(MycroftStreamsConfig config) {
        this(config, new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                () -> new KafkaProducer<>(letterProducerProperties(config), new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /** A feed reading with {@code consumer} and sending dead letters with the producer {@code letterProducer} makes when first needed. */
    RankingFeed(MycroftStreamsConfig config, Consumer<byte[], byte[]> consumer, Supplier<Producer<byte[], byte[]>> letterProducer) {
        this.topic = config.topics().ownerRankings();
        this.deadLetters = DeadLetters.from(config.asMap());
        this.consumer = consumer;
        this.letterProducer = letterProducer;
        thread = new Thread(this::run, "mycroft-ranking-feed");
        thread.setDaemon(true);
    }

    private static Map<String, Object> letterProducerProperties(MycroftStreamsConfig config) {
        Map<String, Object> props = config.clientSettings();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return props;
    }

    private static Properties consumerProperties(MycroftStreamsConfig config) {
        Properties props = new Properties();
        props.putAll(config.clientSettings());
        // Only rankings of committed Streams transactions: an aborted one must never reach a dashboard.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return props;
    }

    void start() {
        thread.start();
    }

    /** Why the feed stopped, or null while it runs (or was closed on purpose). */
    RuntimeException failure() {
        return failure;
    }

    Runnable subscribe(String requestId, java.util.function.Consumer<OwnerRanking> subscriber) {
        subscribers.computeIfAbsent(requestId, r -> new CopyOnWriteArraySet<>()).add(subscriber);
        return () -> subscribers.getOrDefault(requestId, Set.of()).remove(subscriber);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    deliver(record);
                }
            }
        } catch (WakeupException e) {
            // close() woke us to stop
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("ranking feed stopped; SSE subscribers get no more updates", e);
        } finally {
            consumer.close();
            if (letters != null) {
                letters.close();
            }
        }
    }

    /** Hands a ranking to its subscribers; dead-letters a record that is not one. A tombstone (a deleted request) is skipped. */
    private void deliver(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        OwnerRanking ranking;
        try {
            ranking = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
        } catch (WireFormatException e) {
            deadLetter(record, e.getMessage(), e);
            return;
        }
        String requestId = record.key() == null ? null : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
        if (!ranking.getRequestId().equals(requestId)) {
            deadLetter(record, "key '" + requestId + "' is not the ranking's request '" + ranking.getRequestId() + "'", null);
            return;
        }
        subscribers.getOrDefault(requestId, Set.of()).forEach(s -> s.accept(ranking));
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason, Exception cause) {
        LOG.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
        if (letters == null) {
            letters = letterProducer.get();
        }
        letters.send(deadLetters.of(STAGE, reason, cause, record, Instant.now()), (metadata, error) -> {
            if (error != null) {
                LOG.error("cannot dead-letter {}-{}@{}", record.topic(), record.partition(), record.offset(), error);
            }
        });
    }

    @Override
    public void close() {
        if (thread.getState() == Thread.State.NEW) {
            consumer.close(); // never started: run() is not there to close it
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
