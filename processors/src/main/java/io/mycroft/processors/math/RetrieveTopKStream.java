package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Streaming RetrieveTopK for one (request, owner, class) with budget B_c: one {@link NeighbourHeap} of capacity
 * max(k, B_c) per hard sample (see {@link RetrieveTopK} for why that capacity is exact), and the vectors of the samples
 * they hold, R (for the near-copy rule). That is the whole state; κ*, the ranking and the cut at B_c are recomputed from
 * it. The near-copy index over R is derived from it: built at the first selection, then kept as R gains and loses
 * members ({@link NearCopies#add}, {@link NearCopies#withdraw}), so it is always the index {@link NearCopies#of} R.
 * After any sequence of offers, {@link #selection()} equals {@link RetrieveTopK#batch} over the distinct samples
 * offered, for every arrival order.
 *
 * <p>A bad vector in a batch rejects the whole batch before any heap changes.
 */
public final class RetrieveTopKStream {
    private final int k;
    private final int budget;
    private final List<String> hardIds;
    /** The hard samples' unit vectors, {@link UnitVectors#padded}. */
    private final List<double[]> hardUnits;
    private final int dim;
    private final List<NeighbourHeap> heaps;
    private final Map<String, float[]> vectors;
    /** How many heaps hold each sample of R: R's membership, kept as the heaps change. */
    private final Map<String, Integer> holders = new HashMap<>();
    /** Scratch space of {@link #offer}: a sample's unit vector (padded), the heaps' bounds, its distances to the queries. */
    private final double[] unit;
    private final double[] bounds;
    private final double[] distances;
    /** The near-copy index over R; null until a selection needs it. */
    private NearCopies nearCopiesOfR;
    private RetrieveTopK.Selection selection;

    /**
     * What an offer changed: which heaps (their indexes, ascending; a heap that did not change need not be stored
     * again), and which samples entered R and which left it.
     */
    public record Change(List<Integer> changedHeaps, List<SampleEmbedding> entered, List<String> left) {
        /** Whether any heap changed: the selection may then have changed. */
        public boolean heapsChanged() {
            return !changedHeaps.isEmpty();
        }
    }

    private RetrieveTopKStream(int k, int budget, List<SampleEmbedding> hard, List<NeighbourHeap> heaps,
                               Map<String, float[]> vectors) {
        this.k = k;
        this.budget = budget;
        this.hardIds = hard.stream().map(SampleEmbedding::sampleId).toList();
        this.hardUnits = RetrieveTopK.hardUnits(hard).stream().map(UnitVectors::padded).toList();
        this.heaps = heaps;
        this.vectors = vectors;
        this.dim = hard.get(0).vector().length;
        this.unit = new double[hardUnits.get(0).length];
        this.bounds = new double[heaps.size()];
        this.distances = new double[heaps.size()];
        heaps.forEach(h -> h.neighbours().forEach(n -> holders.merge(n.sampleId(), 1, Integer::sum)));
    }

    /** Empty heaps for the hard samples of class c. */
    public static RetrieveTopKStream start(int k, int budget, List<SampleEmbedding> hard) {
        int capacity = RetrieveTopK.heapCapacity(k, budget);
        List<NeighbourHeap> heaps = new ArrayList<>(hard.size());
        for (int i = 0; i < hard.size(); i++) {
            heaps.add(new NeighbourHeap(capacity));
        }
        return new RetrieveTopKStream(k, budget, hard, heaps, new HashMap<>());
    }

    /**
     * Resumes from stored heaps, aligned with {@code hard} (heap i belongs to hard sample i), and the vectors of the
     * samples they hold ({@code vectorOf} answers null for an id it does not have).
     *
     * @throws IllegalArgumentException if the counts differ, a heap's capacity is not max(k, B_c), or a held sample has
     *                                  no vector
     */
    public static RetrieveTopKStream restore(int k, int budget, List<SampleEmbedding> hard, List<NeighbourHeap> heaps,
                                             Function<String, float[]> vectorOf) {
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
        Map<String, float[]> vectors = new HashMap<>();
        Set<String> held = new HashSet<>();
        heaps.forEach(h -> h.neighbours().forEach(n -> held.add(n.sampleId())));
        for (String id : held) {
            float[] v = vectorOf.apply(id);
            if (v == null) {
                throw new IllegalArgumentException("no stored vector for held sample " + id);
            }
            vectors.put(id, v);
        }
        return new RetrieveTopKStream(k, budget, hard, new ArrayList<>(heaps), vectors);
    }

    /**
     * Offers a batch of owner samples of class c; says whether any heap changed (the selection may then have changed)
     * and how R changed. Re-offered sample ids are no-ops; an exact duplicate of a held sample only matters if its id is
     * smaller.
     *
     * @throws InvalidVectorException for a wrong dimension, NaN/Inf or zero norm; no heap changes
     */
    public Change offer(List<SampleEmbedding> batch) {
        double[] norms = new double[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            SampleEmbedding o = batch.get(i);
            boolean checked = !Double.isNaN(o.norm()) && o.vector().length == dim;
            norms[i] = checked ? o.norm() : UnitVectors.norm(o.vector(), dim, "owner sample", o.sampleId());
        }
        boolean[] changed = null;
        Set<String> released = new HashSet<>(0);
        Consumer<String> release = id -> {
            if (holders.merge(id, -1, Integer::sum) == 0) {
                holders.remove(id);
                released.add(id);
            }
        };
        for (int i = 0; i < batch.size(); i++) {
            SampleEmbedding o = batch.get(i);
            for (int h = 0; h < heaps.size(); h++) {
                bounds[h] = heaps.get(h).bound();
            }
            UnitVectors.squaredDistancesWithin(o.vector(), norms[i], hardUnits, bounds, unit, distances);
            // The content key (a SHA-256) only for a sample some heap may take: most are farther than every bound.
            Long key = null;
            for (int h = 0; h < heaps.size(); h++) {
                NeighbourHeap heap = heaps.get(h);
                double d2 = distances[h];
                if (d2 <= bounds[h]) {
                    key = key == null ? o.contentKey() : key;
                    if (heap.offer(o.sampleId(), d2, key, release)) {
                        holders.merge(o.sampleId(), 1, Integer::sum);
                        changed = changed == null ? new boolean[heaps.size()] : changed;
                        changed[h] = true;
                    }
                }
            }
        }
        if (changed == null) {
            return new Change(List.of(), List.of(), List.of());
        }
        List<Integer> changedHeaps = new ArrayList<>();
        for (int h = 0; h < changed.length; h++) {
            if (changed[h]) {
                changedHeaps.add(h);
            }
        }
        selection = null;
        List<SampleEmbedding> entered = new ArrayList<>();
        for (SampleEmbedding o : batch) {
            if (holders.containsKey(o.sampleId()) && vectors.putIfAbsent(o.sampleId(), o.vector()) == null) {
                entered.add(o);
            }
        }
        List<String> left = new ArrayList<>();
        for (String id : released) {
            if (!holders.containsKey(id) && vectors.remove(id) != null) {
                left.add(id);
            }
        }
        left.sort(null);
        if (nearCopiesOfR != null) {
            left.forEach(nearCopiesOfR::withdraw);
            nearCopiesOfR.add(entered.stream().map(o -> new Candidate(o.sampleId(), o.vector())).toList());
        }
        return new Change(changedHeaps, entered, left);
    }

    /** D_useful_c (cut at B_c), κ* and coverage for the samples offered so far. */
    public RetrieveTopK.Selection selection() {
        if (selection == null) {
            if (nearCopiesOfR == null) {
                nearCopiesOfR = NearCopies.of(vectors.entrySet().stream()
                        .map(e -> new Candidate(e.getKey(), e.getValue())).toList(), NearCopies.MIN_EMBEDDING_COSINE);
            }
            // The heaps were checked when they started or were restored, and every offer keeps the index over R.
            List<List<Neighbour>> ranked = new ArrayList<>(heaps.size());
            heaps.forEach(h -> ranked.add(h.neighbours()));
            selection = RetrieveTopK.fromHeldHeaps(k, budget, ranked, nearCopiesOfR);
        }
        return selection;
    }

    /** Floats held for R. */
    public long floats() {
        return vectors.values().stream().mapToLong(v -> v.length).sum();
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
