package io.mycroft.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mycroft.schemas.OwnerSample;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task on its own, with committed offsets kept in a map the way Connect's offset store would return them. */
class OwnerDirectorySourceTaskTest {
    private static final String REGISTRY = "mock://directory-task-test";

    @TempDir
    Path dir;

    private final Map<Map<String, Object>, Map<String, Object>> committed = new HashMap<>();

    @Test
    void twoTasksSplitTheFilesBetweenThemAndEachRowIsReadOnce() throws Exception {
        for (int f = 0; f < 6; f++) {
            csv("f" + f + ".csv", 10);
        }
        List<SourceRecord> first = drain(start(0, 2));
        List<SourceRecord> second = drain(start(1, 2));
        Set<Object> firstFiles = files(first);
        Set<Object> secondFiles = files(second);
        assertThat(firstFiles).hasSize(3).doesNotContainAnyElementsOf(secondFiles); // names hash to alternate tasks
        assertThat(union(firstFiles, secondFiles)).hasSize(6);
        List<String> ids = new ArrayList<>(sampleIds(first));
        ids.addAll(sampleIds(second));
        assertThat(ids).hasSize(60).doesNotHaveDuplicates().contains("f0.csv:2", "f5.csv:11");
    }

    @Test
    void aRestartedTaskResumesAtTheCommittedOffsetsAndFindsNewFiles() throws Exception {
        csv("a.csv", 30);
        OwnerDirectorySourceTask task = start(0, 1, OwnerDirectoryConfig.BATCH_SIZE, "12");
        commit(task.poll());
        task.stop();

        csv("b.csv", 5);
        List<SourceRecord> rest = drain(start(0, 1));
        assertThat(sampleIds(rest)).hasSize(23).doesNotContain("a.csv:13").contains("a.csv:14", "a.csv:31", "b.csv:6");
    }

    private OwnerDirectorySourceTask start(int index, int count, String... extra) {
        Map<String, String> props = new HashMap<>(Map.of(
                OwnerDirectoryConfig.OWNER_ID, "o",
                OwnerDirectoryConfig.DIRECTORY, dir.toString(),
                SerdeConfig.REGISTRY_URL, REGISTRY,
                OwnerDirectoryConfig.POLL_INTERVAL_MS, "10",
                OwnerDirectoryConfig.TASK_INDEX, Integer.toString(index),
                OwnerDirectoryConfig.TASK_COUNT, Integer.toString(count)));
        for (int i = 0; i < extra.length; i += 2) {
            props.put(extra[i], extra[i + 1]);
        }
        OwnerDirectorySourceTask task = new OwnerDirectorySourceTask();
        task.initialize(new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return props;
            }

            @Override
            public PluginMetrics pluginMetrics() {
                throw new UnsupportedOperationException("the task has no metrics");
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return new OffsetStorageReader() {
                    @Override
                    public <T> Map<String, Object> offset(Map<String, T> partition) {
                        return committed.get(partition);
                    }

                    @Override
                    public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                        Map<Map<String, T>, Map<String, Object>> found = new HashMap<>();
                        partitions.forEach(p -> found.put(p, committed.get(p)));
                        return found;
                    }
                };
            }
        });
        task.start(props);
        return task;
    }

    /** Polls until a poll returns nothing, committing as it goes. */
    private List<SourceRecord> drain(OwnerDirectorySourceTask task) throws InterruptedException {
        List<SourceRecord> all = new ArrayList<>();
        for (List<SourceRecord> batch = task.poll(); batch != null; batch = task.poll()) {
            commit(batch);
            all.addAll(batch);
        }
        task.stop();
        return all;
    }

    @SuppressWarnings("unchecked")
    private void commit(List<SourceRecord> records) {
        records.forEach(r -> committed.put((Map<String, Object>) r.sourcePartition(), (Map<String, Object>) r.sourceOffset()));
    }

    private void csv(String name, int rows) throws Exception {
        StringBuilder text = new StringBuilder("x,label\n");
        for (int r = 0; r < rows; r++) {
            text.append(r).append(",1\n");
        }
        Files.writeString(dir.resolve(name), text);
    }

    private static Set<Object> files(List<SourceRecord> records) {
        Set<Object> files = new HashSet<>();
        records.forEach(r -> files.add(r.sourcePartition().get("location")));
        return files;
    }

    private static Set<Object> union(Set<Object> a, Set<Object> b) {
        Set<Object> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> sampleIds(List<SourceRecord> records) {
        var serde = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, REGISTRY)).ownerSamples().valueSerde();
        return records.stream().map(r -> serde.deserializer().deserialize(r.topic(), (byte[]) r.value()))
                .map(OwnerSample::getSampleId).toList();
    }
}
