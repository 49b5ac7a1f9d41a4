package io.mycroft.processors;

import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import mycroft.schemas.HardSetVectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.mycroft.processors.SelectionRecords.gradientHardSet;
import static org.assertj.core.api.Assertions.assertThat;

class HardSetTableTest {
    private final HardSetTable.Changes changes = new HardSetTable.Changes();
    private final HardSetTable table = new HardSetTable(changes);
    private final TimestampedKeyValueStore<String, HardSetVectors> store = Stores.timestampedKeyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(UsefulSubsetProcessor.HARDSETS), Serdes.String(),
            Topics.from(Map.of(SerdeConfig.REGISTRY_URL, "mock://hard-set-table-test")).hardsetVectors().valueSerde())
            .withLoggingDisabled().build();

    HardSetTableTest() {
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        table.init(context);
    }

    /** Puts with the record's timestamp and tombstones delete, as a global table; each write is a change, a keyless record none. */
    @Test
    void keepsTheStoreAsAGlobalTableAndCountsEachWrite() {
        HardSetVectors r1 = gradientHardSet("r1", new float[] {1f, 2f});
        table.process(new Record<>("r1", r1, 42L));
        assertThat(store.get("r1")).isEqualTo(ValueAndTimestamp.make(r1, 42L));
        assertThat(changes.count()).isEqualTo(1);

        table.process(new Record<>(null, gradientHardSet("r2", new float[] {3f, 4f}), 43L));
        assertThat(changes.count()).isEqualTo(1);

        table.process(new Record<>("r1", null, 44L));
        assertThat(store.get("r1")).isNull();
        assertThat(changes.count()).isEqualTo(2);
    }
}
