package io.mycroft.topology;

import io.mycroft.schemas.ExampleRecords;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.InMemorySchemaRegistry;
import io.mycroft.schemas.serde.SerdeConfig;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.OwnerRanking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 17: garbage on owner-rankings stopped the SSE feed until a restart, with no letter and /health still up. */
class RankingFeedTest {
    private final String scope = "ranking-feed-" + UUID.randomUUID();
    private final MycroftStreamsConfig config = MycroftStreamsConfig.of(Map.of(SerdeConfig.REGISTRY_URL, "mock://" + scope));
    private final Topics topics = config.topics();
    private final String topic = topics.ownerRankings().name();
    private final TopicPartition p0 = new TopicPartition(topic, 0);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final MockProducer<byte[], byte[]> letters = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final RankingFeed feed = new RankingFeed(config, consumer, () -> letters);

    @AfterEach
    void close() {
        feed.close();
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void garbageAndMiskeyedRankingsAreLetteredOnceAndTheFeedGoesOn() {
        consumer.updatePartitions(topic, List.of(new PartitionInfo(topic, 0, null, null, null)));
        consumer.updateEndOffsets(Map.of(p0, 0L));
        OwnerRanking ranking = ExampleRecords.ranking();
        byte[] good = topics.ownerRankings().valueSerde().serializer().serialize(topic, ranking);
        byte[] garbage = {0, 0, 0, 0, 99, 1};
        List<OwnerRanking> seen = new CopyOnWriteArrayList<>();
        feed.subscribe(ranking.getRequestId(), seen::add);
        consumer.schedulePollTask(() -> {
            consumer.addRecord(new ConsumerRecord<>(topic, 0, 0, ranking.getRequestId().getBytes(), garbage));
            consumer.addRecord(new ConsumerRecord<>(topic, 0, 1, "another".getBytes(), good));
            consumer.addRecord(new ConsumerRecord<>(topic, 0, 2, ranking.getRequestId().getBytes(), good));
        });
        feed.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
        assertThat(seen).containsExactly(ranking);
        List<DeadLetter> lettered = letters.history().stream()
                .map(r -> topics.deadLetters().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
        assertThat(lettered).extracting(DeadLetter::getStage, DeadLetter::getOffset).containsExactly(
                org.assertj.core.groups.Tuple.tuple(RankingFeed.STAGE, 0L), org.assertj.core.groups.Tuple.tuple(RankingFeed.STAGE, 1L));
        assertThat(lettered.get(0).getReason()).startsWith("UNKNOWN_SCHEMA_ID");
        assertThat(lettered.get(0).getOriginalValue().array()).isEqualTo(garbage);
        assertThat(lettered.get(1).getReason()).isEqualTo("key 'another' is not the ranking's request '" + ranking.getRequestId() + "'");
        assertThat(feed.failure()).isNull();
    }

    @Test
    void aFeedThatStopsSaysWhy() {
        consumer.updatePartitions(topic, List.of(new PartitionInfo(topic, 0, null, null, null)));
        consumer.updateEndOffsets(Map.of(p0, 0L));
        consumer.setPollException(new KafkaException("broker says no"));
        feed.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> feed.failure() != null);
        assertThat(feed.failure()).hasMessage("broker says no");
    }
}
