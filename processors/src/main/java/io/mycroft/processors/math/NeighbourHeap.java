package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The bounded nearest-neighbour set of one hard sample in streaming RetrieveTopK: the {@code capacity} owner samples
 * nearest to it under {@link Neighbour#ORDER}, kept sorted nearest first.
 *
 * <p>Exact duplicates (equal {@link SampleEmbedding#contentKey() content keys}) are one candidate, represented by the
 * smallest sample id: a duplicate with a smaller id replaces the held one (same vector, same distance), one with a
 * larger id is rejected.
 *
 * <p>Order independence: {@link Neighbour#ORDER} is a total order on (distance, sampleId), so the kept set is the
 * {@code capacity} smallest representatives of everything offered, whatever the arrival order (a representative that
 * was evicted had {@code capacity} nearer ones ahead of it, and so does every duplicate with a larger id). Re-offering
 * a sample id is a no-op while it is held and is rejected again after eviction, so redelivery is idempotent.
 *
 * <p>Stored sorted in an array: capacities are max(k, B_c) (tens to hundreds) and most arrivals are rejected by one
 * comparison with the farthest kept neighbour.
 */
public final class NeighbourHeap {
    private final int capacity;
    private final List<Neighbour> nearestFirst;
    /** The farthest kept distance when full, else +∞: the first test of {@link #offer} reads only this field. */
    private double bound;

    /** An empty heap keeping at most {@code capacity} neighbours. */
    public NeighbourHeap(int capacity) {
        this(capacity, new ArrayList<>());
    }

    private NeighbourHeap(int capacity, List<Neighbour> nearestFirst) {
        if (capacity < 1) {
            throw new IllegalArgumentException("heap capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.nearestFirst = nearestFirst;
        updateBound();
    }

    /**
     * Rebuilds a heap from neighbours already sorted nearest first with distinct ids and content keys (as
     * {@link #neighbours()} returns them, e.g. after decoding).
     *
     * @throws IllegalArgumentException if they exceed the capacity, are out of order, repeat an id or a content key, or
     *                                  hold a negative or non-finite distance
     */
    public static NeighbourHeap of(int capacity, List<Neighbour> nearestFirst) {
        if (nearestFirst.size() > capacity) {
            throw new IllegalArgumentException("heap holds " + nearestFirst.size() + " neighbours, capacity " + capacity);
        }
        for (int i = 1; i < nearestFirst.size(); i++) {
            if (Neighbour.ORDER.compare(nearestFirst.get(i - 1), nearestFirst.get(i)) >= 0) {
                throw new IllegalArgumentException("heap neighbours not strictly nearest first at index " + i);
            }
        }
        if (nearestFirst.stream().map(Neighbour::sampleId).distinct().count() != nearestFirst.size()
                || nearestFirst.stream().map(Neighbour::contentKey).distinct().count() != nearestFirst.size()) {
            throw new IllegalArgumentException("heap repeats a sample id or a content key");
        }
        for (Neighbour n : nearestFirst) {
            if (!(n.squaredDistance() >= 0) || Double.isInfinite(n.squaredDistance())) {
                throw new IllegalArgumentException("heap distance " + n.squaredDistance() + " of " + n.sampleId()
                        + " is not a finite non-negative number");
            }
        }
        return new NeighbourHeap(capacity, new ArrayList<>(nearestFirst));
    }

    /** Offers an owner sample; returns whether the kept set changed. */
    public boolean offer(String sampleId, double squaredDistance, long contentKey) {
        return offer(sampleId, squaredDistance, contentKey, id -> { });
    }

    /**
     * Offers an owner sample; returns whether the kept set changed (then it holds {@code sampleId}), and gives {@code
     * removed} the id of each neighbour the offer put out: a duplicate with a larger id, or the farthest.
     */
    public boolean offer(String sampleId, double squaredDistance, long contentKey, Consumer<String> removed) {
        // Most arrivals end at the first test: strictly farther than the farthest kept (a tie is decided by the ids).
        if (squaredDistance > bound) {
            return false;
        }
        Neighbour candidate = new Neighbour(sampleId, squaredDistance, contentKey);
        if (isFull() && Neighbour.ORDER.compare(candidate, farthest()) >= 0) {
            return false;
        }
        for (int i = 0; i < nearestFirst.size(); i++) {
            Neighbour held = nearestFirst.get(i);
            if (held.sampleId().equals(sampleId)) {
                return false;
            }
            if (held.contentKey() == contentKey) {
                if (sampleId.compareTo(held.sampleId()) > 0) {
                    return false;
                }
                removed.accept(nearestFirst.remove(i).sampleId());
                break;
            }
        }
        int at = Collections.binarySearch(nearestFirst, candidate, Neighbour.ORDER);
        nearestFirst.add(-at - 1, candidate);
        if (nearestFirst.size() > capacity) {
            removed.accept(nearestFirst.remove(capacity).sampleId());
        }
        updateBound();
        return true;
    }

    /**
     * The farthest kept distance while the heap is full, else +∞: an offer strictly farther changes nothing, so its
     * content key need not be computed.
     */
    public double bound() {
        return bound;
    }

    private void updateBound() {
        bound = isFull() ? farthest().squaredDistance() : Double.POSITIVE_INFINITY;
    }

    public int capacity() {
        return capacity;
    }

    public int size() {
        return nearestFirst.size();
    }

    public boolean isFull() {
        return nearestFirst.size() == capacity;
    }

    /** The kept neighbours, nearest first (unmodifiable view). */
    public List<Neighbour> neighbours() {
        return Collections.unmodifiableList(nearestFirst);
    }

    private Neighbour farthest() {
        return nearestFirst.get(nearestFirst.size() - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NeighbourHeap h && h.capacity == capacity && h.nearestFirst.equals(nearestFirst);
    }

    @Override
    public int hashCode() {
        return 31 * capacity + nearestFirst.hashCode();
    }

    @Override
    public String toString() {
        return "NeighbourHeap{capacity=" + capacity + ", " + nearestFirst + "}";
    }
}
