package io.mycroft.topology;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit replays each partition in offset order, whatever the producers' clocks wrote as timestamps. */
class AuditReplayOrderTest {
    @Test
    void aPartitionIsReplayedInOffsetOrderAndPartitionsInterleaveByTime() {
        // sample-vectors-0: offset 1 was stamped before offset 0 (two workers' clocks); partition 1 sits between.
        ConsumerRecord<byte[], byte[]> p0o0 = record("sample-vectors", 0, 0, 100);
        ConsumerRecord<byte[], byte[]> p0o1 = record("sample-vectors", 0, 1, 90);
        ConsumerRecord<byte[], byte[]> p0o2 = record("sample-vectors", 0, 2, 120);
        ConsumerRecord<byte[], byte[]> p1o0 = record("sample-vectors", 1, 0, 95);
        ConsumerRecord<byte[], byte[]> hardSet = record("hardset-vectors", 0, 0, 110);

        List<ConsumerRecord<byte[], byte[]>> order = AuditReplay.replayOrder(List.of(p0o2, hardSet, p0o1, p1o0, p0o0));

        assertThat(order).containsExactly(p1o0, p0o0, p0o1, hardSet, p0o2);
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, long timestamp) {
        return new ConsumerRecord<>(topic, partition, offset, timestamp, org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                0, 0, new byte[0], new byte[0], new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty());
    }
}
