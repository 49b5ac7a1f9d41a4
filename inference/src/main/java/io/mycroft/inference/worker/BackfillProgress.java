package io.mycroft.inference.worker;

/** Backfill progress of one request over a worker's partitions, in offsets. */
public record BackfillProgress(long backfilled, long total) {
    public boolean done() {
        return backfilled >= total;
    }
}
