package io.mycroft.topology;

import io.mycroft.loadtests.fuzz.Mutations;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.InMemorySchemaRegistry;
import io.mycroft.schemas.serde.SerdeConfig;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.RankedOwner;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fuzzes {@code owner-rankings} as the SSE feed reads it: every record that is not a ranking of its key's request is
 * lettered exactly once with its bytes and offset, every valid ranking reaches its subscriber in order, and the feed
 * never stops.
 */
class OwnerRankingsFuzzTest {
    private enum Kind { VALID, FLIPPED, TRUNCATED, GARBAGE, TOMBSTONE, KEY_MISMATCH, NO_KEY }

    @Test
    void everyUnusableRankingIsLetteredOnceAndValidOnesReachTheirSubscriber() {
        long started = System.nanoTime();
        String scope = "fuzz-rankings-" + UUID.randomUUID();
        MycroftStreamsConfig config = MycroftStreamsConfig.of(Map.of(SerdeConfig.REGISTRY_URL, "mock://" + scope));
        Topics topics = config.topics();
        Topic<String, OwnerRanking> topic = topics.ownerRankings();
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        TopicPartition p0 = new TopicPartition(topic.name(), 0);
        consumer.updatePartitions(topic.name(), List.of(new PartitionInfo(topic.name(), 0, null, null, null)));
        consumer.updateEndOffsets(Map.of(p0, 0L));
        MockProducer<byte[], byte[]> letters = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        Random random = new Random(31);
        List<Kind> kinds = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        List<OwnerRanking> validSent = new ArrayList<>();
        List<OwnerRanking> received = new CopyOnWriteArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Kind[] all = Kind.values();
        for (long offset = 0; offset < Mutations.RECORDS; offset++) {
            Kind kind = random.nextBoolean() ? Kind.VALID : all[1 + random.nextInt(all.length - 1)];
            OwnerRanking ranking = new OwnerRanking("r1", offset, List.of(new RankedOwner("o" + random.nextInt(8), 1,
                    random.nextDouble(), 1, null, null, offset, 0L, null, null)), Instant.ofEpochMilli(offset), List.of(), 0L, false, List.of());
            byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), ranking);
            byte[] value = Mutations.value(kind, bytes, random);
            byte[] key = switch (kind) {
                case KEY_MISMATCH -> "r2".getBytes();
                case NO_KEY -> null;
                default -> "r1".getBytes();
            };
            kinds.add(kind);
            values.add(value);
            if (kind == Kind.VALID) {
                validSent.add(ranking);
            }
            records.add(new ConsumerRecord<>(topic.name(), 0, offset, key, value));
        }
        try (RankingFeed feed = new RankingFeed(config, consumer, () -> letters)) {
            feed.subscribe("r1", received::add);
            consumer.schedulePollTask(() -> records.forEach(consumer::addRecord));
            feed.start();
            long expected = kinds.stream().filter(k -> k != Kind.TOMBSTONE).count();
            await().atMost(Duration.ofSeconds(60)).until(() -> received.size() + letters.history().size() >= expected);
            assertThat(feed.failure()).isNull();
        }
        Map<Long, Integer> lettersOf = new HashMap<>();
        for (var out : letters.history()) {
            DeadLetter letter = topics.deadLetters().valueSerde().deserializer().deserialize(out.topic(), out.value());
            lettersOf.merge(letter.getOffset(), 1, Integer::sum);
            assertThat(letter.getOriginalValue().array()).isEqualTo(values.get(letter.getOffset().intValue()));
        }
        for (int offset = 0; offset < kinds.size(); offset++) {
            int n = lettersOf.getOrDefault((long) offset, 0);
            switch (kinds.get(offset)) {
                case VALID, TOMBSTONE -> assertThat(n).as("offset %d (%s)", offset, kinds.get(offset)).isZero();
                case FLIPPED -> assertThat(n).isLessThanOrEqualTo(1);
                default -> assertThat(n).as("offset %d (%s)", offset, kinds.get(offset)).isEqualTo(1);
            }
        }
        // A flipped ranking that still decodes, and is still of r1, is delivered too: the valid ones, in order, among them.
        assertThat(received).containsSubsequence(validSent);
        System.out.printf("fuzz owner-rankings: %d records, %d lettered, %d delivered, %.1f s%n", kinds.size(),
                lettersOf.size(), received.size(), (System.nanoTime() - started) / 1e9);
        InMemorySchemaRegistry.dropScope(scope);
    }
}
