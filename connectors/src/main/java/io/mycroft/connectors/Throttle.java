package io.mycroft.connectors;

/** Keeps a task at or under a number of records per second by sleeping after each batch; 0 means no limit. */
final class Throttle {
    private final int perSecond;
    private long nextFreeNanos = System.nanoTime();

    Throttle(int perSecond) {
        this.perSecond = perSecond;
    }

    /** Sleeps until {@code records} more fit into the rate since the last call. */
    void acquire(int records) throws InterruptedException {
        if (perSecond == 0) {
            return;
        }
        long now = System.nanoTime();
        nextFreeNanos = Math.max(nextFreeNanos, now) + records * 1_000_000_000L / perSecond;
        long waitNanos = nextFreeNanos - now;
        Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
    }
}
