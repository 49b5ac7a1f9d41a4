package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.List;

/**
 * Streaming RetrieveTopK for one (request, owner, class) with budget B_c: one {@link NeighbourHeap} of capacity
 * max(k, B_c) per hard sample (see {@link RetrieveTopK} for why that capacity is exact). The heaps are the whole state;
 * κ*, the ranking and the cut at B_c are recomputed from them. After any sequence of offers, {@link #selection()}
 * equals {@link RetrieveTopK#batch} over the distinct samples offered, for every arrival order.
 *
 * <p>A bad vector in a batch rejects the whole batch before any heap changes.
 */
public final class RetrieveTopKStream {
    private final int k;
    private final int budget;
    private final List<String> hardIds;
    private final List<double[]> hardUnits;
    private final List<NeighbourHeap> heaps;

    private RetrieveTopKStream(int k, int budget, List<SampleEmbedding> hard, List<NeighbourHeap> heaps) {
        this.k = k;
        this.budget = budget;
        this.hardIds = hard.stream().map(SampleEmbedding::sampleId).toList();
        this.hardUnits = RetrieveTopK.hardUnits(hard);
        this.heaps = heaps;
    }

    /** Empty heaps for the hard samples of class c. */
    public static RetrieveTopKStream start(int k, int budget, List<SampleEmbedding> hard) {
        int capacity = RetrieveTopK.heapCapacity(k, budget);
        List<NeighbourHeap> heaps = new ArrayList<>(hard.size());
        for (int i = 0; i < hard.size(); i++) {
            heaps.add(new NeighbourHeap(capacity));
        }
        return new RetrieveTopKStream(k, budget, hard, heaps);
    }

    /**
     * Resumes from stored heaps, aligned with {@code hard} (heap i belongs to hard sample i).
     *
     * @throws IllegalArgumentException if the counts differ or a heap's capacity is not max(k, B_c)
     */
    public static RetrieveTopKStream restore(int k, int budget, List<SampleEmbedding> hard, List<NeighbourHeap> heaps) {
        int capacity = RetrieveTopK.heapCapacity(k, budget);
        if (heaps.size() != hard.size()) {
            throw new IllegalArgumentException(heaps.size() + " heaps for " + hard.size() + " hard samples");
        }
        for (NeighbourHeap h : heaps) {
            if (h.capacity() != capacity) {
                throw new IllegalArgumentException("stored heap capacity " + h.capacity() + " but max(k, B_c) = "
                        + capacity + " (was k, the budget or the hard set changed?)");
            }
        }
        return new RetrieveTopKStream(k, budget, hard, new ArrayList<>(heaps));
    }

    /**
     * Offers a batch of owner samples of class c; returns whether any heap changed (the selection may then have
     * changed). Re-offered sample ids are no-ops; an exact duplicate of a held sample only matters if its id is smaller.
     *
     * @throws InvalidVectorException for a wrong dimension, NaN/Inf or zero norm; no heap changes
     */
    public boolean offer(List<SampleEmbedding> batch) {
        int dim = hardUnits.get(0).length;
        List<double[]> units = new ArrayList<>(batch.size());
        long[] keys = new long[batch.size()];
        for (int i = 0; i < keys.length; i++) {
            SampleEmbedding o = batch.get(i);
            units.add(UnitVectors.unit(o.vector(), dim, "owner sample " + o.sampleId()));
            keys[i] = o.contentKey();
        }
        boolean changed = false;
        for (int i = 0; i < batch.size(); i++) {
            for (int h = 0; h < heaps.size(); h++) {
                double d2 = UnitVectors.squaredDistance(hardUnits.get(h), units.get(i));
                changed |= heaps.get(h).offer(batch.get(i).sampleId(), d2, keys[i]);
            }
        }
        return changed;
    }

    /** D_useful_c (cut at B_c), κ* and coverage for the samples offered so far. */
    public RetrieveTopK.Selection selection() {
        return RetrieveTopK.fromHeaps(k, budget, heaps);
    }

    /** Hard sample ids, in the order of {@link #heaps()}. */
    public List<String> hardSampleIds() {
        return hardIds;
    }

    /** The heaps to store (key request|owner|hardSample, value {@link NeighbourHeapCodec#encode}); do not mutate. */
    public List<NeighbourHeap> heaps() {
        return List.copyOf(heaps);
    }
}
