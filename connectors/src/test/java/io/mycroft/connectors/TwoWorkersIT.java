package io.mycroft.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.ConnectClient;
import io.mycroft.stack.StackException;
import io.mycroft.stack.StackProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import mycroft.schemas.OwnerSample;
import org.junit.jupiter.api.Test;

/** Two Connect workers in one cluster share a directory connector's tasks; every row still arrives exactly once. */
class TwoWorkersIT {
    @Test
    void twoWorkersShareTheTasks() throws Exception {
        PluginStack stack = PluginStack.shared();
        StackProperties endpoints = stack.endpoints();
        ConnectClient connect = ConnectClient.of(endpoints);
        Topics topics = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, endpoints.schemaRegistryUrl()));
        // Alone on the cluster, the connector's two tasks are what the assignor balances: one per worker.
        connect.connectors().fieldNames().forEachRemaining(connect::delete);
        PluginStack.SecondWorker second = stack.startSecondWorker();
        try {
            Path dir = Files.createDirectories(stack.workDir().resolve("owner-e"));
            Set<String> expected = new HashSet<>();
            for (int file = 0; file < 4; file++) {
                StringBuilder text = new StringBuilder("x,label\n");
                for (int line = 2; line < 1002; line++) {
                    text.append(line).append(',').append(file).append('\n');
                    expected.add("e-" + file + ".csv:" + line);
                }
                Files.writeString(dir.resolve("e-" + file + ".csv"), text);
            }
            Map<String, String> config = OwnerConnectors.directory("owner-e", dir, endpoints.schemaRegistryUrl(), 2);
            config.put(OwnerDirectoryConfig.MAX_RECORDS_PER_SECOND, "250");
            config.put(OwnerDirectoryConfig.BATCH_SIZE, "50");
            // Created through the second worker: requests are forwarded to the leader, wherever it is.
            new ConnectClient(second.url()).putConfig(OwnerConnectors.directoryConnectorName("owner-e"), config);

            // 404 until the status of the new connector is written.
            await().atMost(Duration.ofSeconds(90)).ignoreException(StackException.class).untilAsserted(() -> {
                JsonNode tasks = connect.status(OwnerConnectors.directoryConnectorName("owner-e")).path("tasks");
                Set<String> workers = new HashSet<>();
                tasks.forEach(t -> {
                    assertThat(t.path("state").asText()).isEqualTo("RUNNING");
                    workers.add(t.path("worker_id").asText());
                });
                assertThat(workers).hasSize(2);
            });

            try (CommittedRecords<OwnerSample> samples = new CommittedRecords<>(endpoints.bootstrapServers(),
                    topics.ownerSamples().name(), topics.ownerSamples().valueSerde().deserializer())) {
                Predicate<OwnerSample> ownerE = s -> s.getOwnerId().equals("owner-e");
                samples.readUntil(ownerE, expected.size(), Duration.ofSeconds(90));
                List<String> ids = samples.readAvailable(ownerE).stream().map(OwnerSample::getSampleId).toList();
                assertThat(ids).doesNotHaveDuplicates();
                assertThat(new HashSet<>(ids)).isEqualTo(expected);
            }
        } finally {
            // A worker that leaves takes its tasks with it for up to scheduled.rebalance.max.delay.ms (5 min): remove
            // the connector first, so no other test waits for tasks that were on this worker.
            connect.connectors().fieldNames().forEachRemaining(connect::delete);
            second.stop();
        }
    }
}
