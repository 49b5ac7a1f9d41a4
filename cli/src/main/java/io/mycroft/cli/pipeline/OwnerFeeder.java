package io.mycroft.cli.demo;

import io.mycroft.experiments.data.IdxFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays one owner's system: its generated samples (IDX, in arrival order) are written into the directory its connector
 * watches in small IDX chunks at the scenario's arrival rate, so they stream in over time rather than all at once. Each
 * file is written under a dot-name and renamed into place (the connector ignores dot-files), images before labels (the
 * connector waits for the label file of a pair).
 */
final class OwnerFeeder {
    private final String ownerId;
    private final Path watchedDir;
    private final float[][] images;
    private final int[] labels;
    private final double ratePerSecond;
    private final AtomicInteger written = new AtomicInteger();
    private int chunk;

    OwnerFeeder(String ownerId, Path generatedDir, Path watchedDir, double ratePerSecond) throws IOException {
        this.ownerId = ownerId;
        this.watchedDir = watchedDir;
        this.images = IdxFiles.readImages(generatedDir.resolve("data-images-idx3-ubyte.gz"));
        this.labels = IdxFiles.readLabels(generatedDir.resolve("data-labels-idx1-ubyte.gz"));
        this.ratePerSecond = ratePerSecond;
        Files.createDirectories(watchedDir);
    }

    String ownerId() {
        return ownerId;
    }

    int size() {
        return labels.length;
    }

    int written() {
        return written.get();
    }

    boolean done() {
        return written.get() >= labels.length;
    }

    /**
     * Writes the samples due {@code elapsedSeconds} after the start that are not written yet, in chunks of a fixed size
     * (a quarter second of arrivals), so file names and positions — hence sample ids — are the same on every run.
     */
    void tick(double elapsedSeconds) {
        int due = (int) Math.min(labels.length, Math.floor(elapsedSeconds * ratePerSecond));
        int chunkSize = (int) Math.max(1, Math.round(ratePerSecond / 4));
        while (written.get() < labels.length && (written.get() + chunkSize <= due || due == labels.length)) {
            int from = written.get();
            int to = Math.min(labels.length, from + chunkSize);
            String name = String.format("part-%05d", chunk++);
            try {
                writeAtomically(name + "-images-idx3-ubyte.gz", file -> IdxFiles.writeImages(file, Arrays.copyOfRange(images, from, to)));
                writeAtomically(name + "-labels-idx1-ubyte.gz", file -> IdxFiles.writeLabels(file, Arrays.copyOfRange(labels, from, to)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + ownerId + "'s chunk " + name + " into " + watchedDir, e);
            }
            written.set(to);
        }
    }

    private interface Writer {
        void write(Path file) throws IOException;
    }

    private void writeAtomically(String fileName, Writer writer) throws IOException {
        Path tmp = watchedDir.resolve("." + fileName); // keeps the .gz ending: the writer gzips by name
        writer.write(tmp);
        Files.move(tmp, watchedDir.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Feeds every owner until all are done; ticks every 250 ms. */
    static Thread startAll(List<OwnerFeeder> feeders) {
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
        }, "demo-owner-feeder");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
