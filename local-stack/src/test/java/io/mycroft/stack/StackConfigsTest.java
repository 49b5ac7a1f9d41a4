package io.mycroft.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackConfigsTest {
    private static final StackProperties ONE = StackProperties.of("c", 9001, 9002, 9003, 9004);
    private static final StackProperties THREE = StackProperties.of("c", new int[] {9101, 9102, 9103},
            new int[] {9201, 9202, 9203}, 9301, 9302);

    @Test
    void oneBrokerIsItsOwnDynamicQuorumWithReplicationOne() {
        Map<String, String> c = StackConfigs.broker(ONE, 1, Path.of("/data"));
        assertEquals("1", c.get("node.id"));
        assertEquals("127.0.0.1:9002", c.get("controller.quorum.bootstrap.servers"));
        assertFalse(c.containsKey("controller.quorum.voters"));
        for (String key : new String[] {"default.replication.factor", "min.insync.replicas", "offsets.topic.replication.factor",
                "transaction.state.log.replication.factor", "transaction.state.log.min.isr"}) {
            assertEquals("1", c.get(key), key);
        }
        assertEquals("127.0.0.1:9001", ONE.bootstrapServers());
        assertEquals(1, ONE.brokers());
    }

    @Test
    void threeBrokersFormAStaticQuorumAndReplicateEverythingThreeTimesWithMinIsrTwo() {
        Map<String, String> c = StackConfigs.broker(THREE, 2, Path.of("/data-2"));
        assertEquals("2", c.get("node.id"));
        assertEquals("1@127.0.0.1:9201,2@127.0.0.1:9202,3@127.0.0.1:9203", c.get("controller.quorum.voters"));
        assertEquals("PLAINTEXT://127.0.0.1:9102,CONTROLLER://127.0.0.1:9202", c.get("listeners"));
        for (String key : new String[] {"default.replication.factor", "offsets.topic.replication.factor",
                "transaction.state.log.replication.factor", "share.coordinator.state.topic.replication.factor"}) {
            assertEquals("3", c.get(key), key);
        }
        for (String key : new String[] {"min.insync.replicas", "transaction.state.log.min.isr", "share.coordinator.state.topic.min.isr"}) {
            assertEquals("2", c.get(key), key);
        }
        assertEquals("127.0.0.1:9101,127.0.0.1:9102,127.0.0.1:9103", THREE.bootstrapServers());
        Map<String, String> connect = StackConfigs.connect(THREE, Path.of("/plugins"));
        assertEquals("3", connect.get("offset.storage.replication.factor"));
        assertEquals("3", StackConfigs.registryArgs(THREE).get(StackConfigs.registryArgs(THREE).indexOf("--replication-factor") + 1));
    }
}
