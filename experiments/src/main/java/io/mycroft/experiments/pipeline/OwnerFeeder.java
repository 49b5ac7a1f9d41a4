package io.mycroft.experiments.pipeline;

import io.mycroft.experiments.data.CsvFiles;
import io.mycroft.experiments.data.DatasetId;
import io.mycroft.inference.model.Dataset;
import io.mycroft.schemas.idx.IdxFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays one owner's system: its generated samples (in arrival order) are written into the directory its connector
 * watches in small chunks at the scenario's arrival rate, so they stream in over time rather than all at once: images as
 * IDX pairs (images before labels: the connector waits for the label file of a pair), tabular rows as CSV with integer
 * labels. Each file is written under a dot-name and renamed into place (the connector ignores dot-files).
 */
public final class OwnerFeeder {
    private final String ownerId;
    private final Path watchedDir;
    private final boolean images;
    private final float[][] features;
    private final int[] labels;
    private final double ratePerSecond;
    private final double startAfter;
    private final AtomicInteger written = new AtomicInteger();
    private int chunk;

    /**
     * An owner of {@code dataset} whose generated data (as {@code OwnerDataGenerator} wrote it) is in {@code generatedDir},
     * streaming from {@code startAfter} seconds after the feeders' start.
     */
    public OwnerFeeder(String ownerId, DatasetId dataset, Path generatedDir, Path watchedDir, double ratePerSecond,
                       double startAfter) throws IOException {
        this.ownerId = ownerId;
        this.watchedDir = watchedDir;
        this.images = dataset.kind() == DatasetId.Kind.IMAGE;
        if (images) {
            this.features = IdxFiles.readImages(generatedDir.resolve("data-images-idx3-ubyte.gz"));
            this.labels = IdxFiles.readLabels(generatedDir.resolve("data-labels-idx1-ubyte.gz"));
        } else {
            Dataset rows = CsvFiles.read(generatedDir.resolve("data.csv"), dataset).pool();
            this.features = rows.features();
            this.labels = rows.labels();
        }
        this.ratePerSecond = ratePerSecond;
        this.startAfter = startAfter;
        Files.createDirectories(watchedDir);
    }

    public String ownerId() {
        return ownerId;
    }

    public int size() {
        return labels.length;
    }

    public int written() {
        return written.get();
    }

    public boolean done() {
        return written.get() >= labels.length;
    }

    /**
     * Writes the samples due {@code elapsedSeconds} after the start (nothing before {@code startAfter}) that are not
     * written yet, in chunks of a fixed size
     * (a quarter second of arrivals), so file names and positions — hence sample ids — are the same on every run.
     */
    void tick(double elapsedSeconds) {
        int due = (int) Math.min(labels.length, Math.floor(Math.max(0, elapsedSeconds - startAfter) * ratePerSecond));
        int chunkSize = (int) Math.max(1, Math.round(ratePerSecond / 4));
        while (written.get() < labels.length && (written.get() + chunkSize <= due || due == labels.length)) {
            int from = written.get();
            int to = Math.min(labels.length, from + chunkSize);
            String name = String.format("part-%05d", chunk++);
            try {
                if (images) {
                    writeAtomically(name + "-images-idx3-ubyte.gz", file -> IdxFiles.writeImages(file, Arrays.copyOfRange(features, from, to)));
                    writeAtomically(name + "-labels-idx1-ubyte.gz", file -> IdxFiles.writeLabels(file, Arrays.copyOfRange(labels, from, to)));
                } else {
                    writeAtomically(name + ".csv", file -> writeCsv(file, from, to));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + ownerId + "'s chunk " + name + " into " + watchedDir, e);
            }
            written.set(to);
        }
    }

    private interface FileWriter {
        void write(Path file) throws IOException;
    }

    private void writeAtomically(String fileName, FileWriter writer) throws IOException {
        Path tmp = watchedDir.resolve("." + fileName); // keeps the .gz ending: the writer gzips by name
        writer.write(tmp);
        Files.move(tmp, watchedDir.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Rows [from, to) as the connector reads CSV: a header, feature columns f0…, then the integer label. */
    private void writeCsv(Path file, int from, int to) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < features[from].length; j++) {
                line.append('f').append(j).append(',');
            }
            w.write(line.append("label\n").toString());
            for (int i = from; i < to; i++) {
                line.setLength(0);
                for (float v : features[i]) {
                    line.append(v).append(',');
                }
                w.write(line.append(labels[i]).append('\n').toString());
            }
        }
    }

    /** Feeds every owner until all are done; ticks every 250 ms. */
    public static Thread startAll(List<OwnerFeeder> feeders) {
        Thread t = new Thread(() -> {
            long start = System.nanoTime();
            while (!Thread.currentThread().isInterrupted() && !feeders.stream().allMatch(OwnerFeeder::done)) {
                double elapsed = (System.nanoTime() - start) / 1e9;
                feeders.forEach(f -> f.tick(elapsed));
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "owner-feeder");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
