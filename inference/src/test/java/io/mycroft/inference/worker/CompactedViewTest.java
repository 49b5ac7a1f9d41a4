package io.mycroft.inference.worker;

import io.mycroft.inference.trainer.HardSetRequests;
import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.InMemorySchemaRegistry;
import io.mycroft.schemas.serde.SerdeConfig;
import mycroft.schemas.HardSample;
import mycroft.schemas.HardSetRequest;
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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 17: garbage on hardset-requests or models was skipped with a log line; now the view keeps it whole for a letter. */
class CompactedViewTest {
    private final String scope = "compacted-view-" + UUID.randomUUID();
    private final Topic<String, HardSetRequest> topic = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, "mock://" + scope)).hardsetRequests();
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final TopicPartition p0 = new TopicPartition(topic.name(), 0);

    @AfterEach
    void dropRegistry() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void anUndecodableOrRefusedValueMakesItsKeyInvalidUntilAUsableValueOrATombstone() {
        consumer.updatePartitions(topic.name(), List.of(new PartitionInfo(topic.name(), 0, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(p0, 0L));
        CompactedView<HardSetRequest> view = new CompactedView<>(topic, consumer, CompactedView.ignore(), RequestRegistration::problemWith);
        byte[] garbage = {0, 0, 0, 0, 77, 3};
        add(0, "r1", garbage);
        add(1, "r|2", bytes(request("r|2")));
        add(2, "r3", bytes(request("another")));
        add(3, "r4", bytes(request("r4")));
        view.poll(Duration.ZERO);

        assertThat(view.values()).containsOnlyKeys("r4");
        assertThat(view.invalid()).containsOnlyKeys("r1", "r|2", "r3");
        assertThat(view.invalid().get("r1").reason()).startsWith("UNKNOWN_SCHEMA_ID");
        assertThat(view.invalid().get("r1").record().value()).isEqualTo(garbage);
        assertThat(view.invalid().get("r|2").reason()).isEqualTo("requestId 'r|2' contains '|', which separates key parts");
        assertThat(view.invalid().get("r3").reason()).isEqualTo("key 'r3' is not the request's id 'another'");
        assertThat(view.invalid().get("r3").record().offset()).isEqualTo(2L);
        assertThat(view.contains("r1")).isTrue();
        assertThat(view.record("r4").offset()).isEqualTo(3L);

        add(4, "r1", bytes(request("r1")));
        add(5, "r3", null);
        view.poll(Duration.ZERO);
        assertThat(view.values()).containsOnlyKeys("r4", "r1");
        assertThat(view.invalid()).containsOnlyKeys("r|2");
        assertThat(view.contains("r3")).isFalse();
    }

    private void add(long offset, String key, byte[] value) {
        consumer.addRecord(new ConsumerRecord<>(topic.name(), 0, offset, key.getBytes(), value));
    }

    private byte[] bytes(HardSetRequest request) {
        return topic.valueSerde().serializer().serialize(topic.name(), request);
    }

    private static HardSetRequest request(String id) {
        return HardSetRequest.newBuilder().setRequestId(id).setModelId("m").setModelVersion(1)
                .setMethod(SelectionMethod.GRADIENT).setBudget(4).setPerHardSample(4)
                .setHardSamples(List.of(new HardSample("h", 1, FloatVectors.of(1, 1, 0, 0))))
                .setOptions(HardSetRequests.defaultOptions()).setCreatedAt(Instant.now()).build();
    }
}
