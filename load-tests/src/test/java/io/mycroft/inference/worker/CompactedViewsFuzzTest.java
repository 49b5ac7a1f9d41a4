package io.mycroft.inference.worker;

import io.mycroft.inference.trainer.HardSetRequests;
import io.mycroft.loadtests.fuzz.Mutations;
import io.mycroft.schemas.ExampleRecords;
import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.InMemorySchemaRegistry;
import io.mycroft.schemas.serde.SerdeConfig;
import mycroft.schemas.HardSample;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.SelectionMethod;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the worker's compacted views ({@code hardset-requests}, {@code models}): each record, under its own key, must
 * end as exactly one of a usable value or an invalid entry that keeps its original bytes and offset (which the worker
 * dead-letters: RequestRegistration for requests, the partition-0 worker for models); valid ones must be usable.
 */
class CompactedViewsFuzzTest {
    private enum Kind { VALID, FLIPPED, TRUNCATED, GARBAGE, BAD_ID, KEY_MISMATCH }

    private final String scope = "fuzz-views-" + UUID.randomUUID();
    private final Topics topics = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, "mock://" + scope));

    @AfterEach
    void dropRegistry() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void hardsetRequests() {
        fuzz(topics.hardsetRequests(), RequestRegistration::problemWith, (id, kind) -> {
            String requestId = switch (kind) {
                case BAD_ID -> id + "|x";
                case KEY_MISMATCH -> "not-" + id;
                default -> id;
            };
            return HardSetRequest.newBuilder().setRequestId(requestId).setModelId("m").setModelVersion(1)
                    .setMethod(SelectionMethod.GRADIENT).setBudget(4).setPerHardSample(4)
                    .setHardSamples(List.of(new HardSample(kind == Kind.BAD_ID && id.hashCode() % 2 == 0 ? "" : "h", 1,
                            FloatVectors.of(1, 1, 0, 0))))
                    .setOptions(HardSetRequests.defaultOptions()).setCreatedAt(Instant.now()).build();
        }, HardSetRequest::getRequestId);
    }

    @Test
    void models() {
        ModelArtifact example = ExampleRecords.model();
        fuzz(topics.models(), (key, model) -> key.equals(model.getModelId()) ? null : "key is not the model id", (id, kind) ->
                ModelArtifact.newBuilder(example).setModelId(kind == Kind.KEY_MISMATCH || kind == Kind.BAD_ID ? "not-" + id : id).build(),
                ModelArtifact::getModelId);
    }

    private <V> void fuzz(Topic<String, V> topic, BiFunction<String, V, String> check, BiFunction<String, Kind, V> make,
                          Function<V, String> idOf) {
        long started = System.nanoTime();
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        TopicPartition p0 = new TopicPartition(topic.name(), 0);
        consumer.updatePartitions(topic.name(), List.of(new PartitionInfo(topic.name(), 0, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(p0, 0L));
        CompactedView<V> view = new CompactedView<>(topic, consumer, CompactedView.ignore(), check);
        Random random = new Random(37);
        Kind[] kinds = Kind.values();
        Kind[] sent = new Kind[Mutations.RECORDS];
        byte[][] values = new byte[Mutations.RECORDS][];
        for (int offset = 0; offset < Mutations.RECORDS; offset++) {
            Kind kind = random.nextBoolean() ? Kind.VALID : kinds[1 + random.nextInt(kinds.length - 1)];
            String id = "k" + offset;
            byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), make.apply(id, kind));
            values[offset] = switch (kind) {
                case FLIPPED -> Mutations.flipBits(bytes, random);
                case TRUNCATED -> Mutations.truncate(bytes, random);
                case GARBAGE -> Mutations.garbage(random);
                default -> bytes;
            };
            sent[offset] = kind;
            consumer.addRecord(new ConsumerRecord<>(topic.name(), 0, offset, id.getBytes(), values[offset]));
        }
        view.poll(Duration.ZERO);
        Map<String, CompactedView.Invalid> invalid = view.invalid();
        int used = 0;
        for (int offset = 0; offset < sent.length; offset++) {
            String id = "k" + offset;
            boolean usable = view.get(id) != null;
            assertThat(usable ^ invalid.containsKey(id)).as("offset %d (%s): usable or invalid, once", offset, sent[offset]).isTrue();
            switch (sent[offset]) {
                case VALID -> assertThat(usable).as("offset %d", offset).isTrue();
                case FLIPPED -> { }
                default -> assertThat(usable).as("offset %d (%s)", offset, sent[offset]).isFalse();
            }
            if (usable) {
                used++;
                assertThat(idOf.apply(view.get(id))).isEqualTo(id);
            } else {
                assertThat(invalid.get(id).record().offset()).isEqualTo(offset);
                assertThat(invalid.get(id).record().value()).isEqualTo(values[offset]);
                assertThat(invalid.get(id).reason()).isNotBlank();
            }
        }
        System.out.printf("fuzz %s: %d records, %d invalid (lettered by the worker), %d usable, %.1f s%n", topic.name(),
                sent.length, invalid.size(), used, (System.nanoTime() - started) / 1e9);
    }
}
