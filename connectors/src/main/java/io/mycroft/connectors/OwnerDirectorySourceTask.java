package io.mycroft.connectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this task's share of an owner's files (files whose relative path hashes to the task's index) and returns their
 * samples and rejections. The directory is listed again every {@code poll.interval.ms}, so new files are picked up;
 * CSV files are re-read from their offset on every poll, so appended rows are too.
 */
public final class OwnerDirectorySourceTask extends SourceTask {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerDirectorySourceTask.class);

    private OwnerDirectoryConfig config;
    private SampleRecords records;
    private Throttle throttle;
    private final Map<String, SampleFile> open = new LinkedHashMap<>();
    private final Set<String> finished = new HashSet<>();
    private long nextScanNanos;

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new OwnerDirectoryConfig(props);
        records = new SampleRecords(config.ownerId(), config.topics(), Clock.systemUTC());
        throttle = new Throttle(config.maxRecordsPerSecond());
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (System.nanoTime() >= nextScanNanos) {
            scan();
            nextScanNanos = System.nanoTime() + config.pollIntervalMs() * 1_000_000;
        }
        List<SourceRecord> batch = new ArrayList<>();
        for (var it = open.entrySet().iterator(); it.hasNext() && batch.size() < config.batchSize(); ) {
            var entry = it.next();
            SampleFile file = entry.getValue();
            try {
                for (SourceItem item : file.read(config.batchSize() - batch.size())) {
                    batch.add(records.toRecord(file.system(), entry.getKey(), item));
                }
                if (file.finished()) {
                    file.close();
                    it.remove();
                    finished.add(entry.getKey());
                }
            } catch (NoSuchFileException e) {
                // Moved or deleted: forget it; if it comes back, the next scan resumes it at its committed offset.
                it.remove();
            } catch (IOException e) {
                // The owner's file system, not the data: try this file again on the next poll.
                LOG.warn("cannot read {} of owner {}: {}", entry.getKey(), config.ownerId(), e.toString());
            }
        }
        if (batch.isEmpty()) {
            Thread.sleep(config.pollIntervalMs());
            return null;
        }
        throttle.acquire(batch.size());
        return batch;
    }

    /** Opens the files of this task not yet open or finished, at the offsets committed for them. */
    private void scan() {
        Path root = config.directory();
        Map<String, Path> found = new LinkedHashMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            paths.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> kind(root, p) != null)
                    .forEach(p -> found.put(root.relativize(p).toString(), p));
        } catch (IOException | UncheckedIOException e) {
            // E.g. a file renamed while listing, or the directory briefly unmounted: list again on the next scan.
            LOG.warn("cannot list {} of owner {}: {}", root, config.ownerId(), e.toString());
            return;
        }
        found.keySet().removeIf(location -> open.containsKey(location) || finished.contains(location)
                || Math.floorMod(location.hashCode(), config.taskCount()) != config.taskIndex());
        if (found.isEmpty()) {
            return;
        }
        Map<String, Map<String, Object>> offsets = committedOffsets(found.keySet());
        found.forEach((location, path) -> {
            SampleFile file = switch (kind(root, path)) {
                case CSV -> new CsvFile(path, config.labelColumn(), offsets.get(location));
                case IDX -> new IdxFile(path, IdxFile.labelsOf(path), offsets.get(location));
                case IMAGE -> new ImageFile(path, config.decodeImages(), offsets.get(location));
            };
            if (file.finished()) {
                finished.add(location);
            } else {
                open.put(location, file);
            }
        });
    }

    private Map<String, Map<String, Object>> committedOffsets(Collection<String> locations) {
        Map<String, Map<String, Object>> byLocation = new HashMap<>();
        List<Map<String, Object>> partitions = locations.stream().map(SampleRecords::partition).toList();
        context.offsetStorageReader().offsets(partitions).forEach((partition, offset) -> {
            if (offset != null) {
                byLocation.put((String) partition.get(SampleRecords.LOCATION), offset);
            }
        });
        return byLocation;
    }

    private enum Kind { CSV, IDX, IMAGE }

    /** What a file is by its name; null for files the connector ignores (label files of IDX pairs among them). */
    private static Kind kind(Path root, Path file) {
        String name = file.getFileName().toString().toLowerCase();
        if (name.endsWith(".csv")) {
            return Kind.CSV;
        }
        if (IdxFile.isImages(file)) {
            return Kind.IDX;
        }
        return ImageFile.isImage(file) && !file.getParent().equals(root) ? Kind.IMAGE : null;
    }

    @Override
    public void stop() {
        for (SampleFile file : open.values()) {
            try {
                file.close();
            } catch (IOException e) {
                LOG.warn("cannot close a file of owner {}: {}", config.ownerId(), e.toString());
            }
        }
        open.clear();
    }
}
