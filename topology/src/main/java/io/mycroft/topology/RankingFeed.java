package io.mycroft.topology;

import io.mycroft.schemas.Topic;
import mycroft.schemas.OwnerRanking;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * Live rankings for dashboards: one consumer per instance tails {@code owner-rankings} (committed records only, from
 * the end: a new subscriber gets the current ranking from the store first) and hands each ranking to the subscribers
 * of its request. Every instance can serve every request, whichever instance computes it.
 */
final class RankingFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RankingFeed.class);

    private final KafkaConsumer<String, OwnerRanking> consumer;
    private final Topic<String, OwnerRanking> topic;
    private final Map<String, Set<Consumer<OwnerRanking>>> subscribers = new ConcurrentHashMap<>();
    private final Thread thread;

    RankingFeed(MycroftStreamsConfig config) {
        topic = config.topics().ownerRankings();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("bootstrap.servers"));
        // Only rankings of committed Streams transactions: an aborted one must never reach a dashboard.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        thread = new Thread(this::run, "mycroft-ranking-feed");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Runnable subscribe(String requestId, Consumer<OwnerRanking> subscriber) {
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
                for (ConsumerRecord<String, OwnerRanking> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        subscribers.getOrDefault(record.key(), Set.of()).forEach(s -> s.accept(record.value()));
                    }
                }
            }
        } catch (WakeupException e) {
            // close() woke us to stop
        } catch (RuntimeException e) {
            LOG.error("ranking feed stopped; SSE subscribers get no more updates", e);
        } finally {
            consumer.close();
        }
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
