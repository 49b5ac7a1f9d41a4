package io.mycroft.processors.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RetrieveTopKTest {

    /**
     * A random instance; vectors come from a small pool so exact duplicates, rescaled copies (near-copies at cosine 1)
     * and distance ties are common. Half of them with B_c = k·|D_hard_c| (the "k per hard sample" budget), half with any
     * B_c.
     */
    record Instance(int k, int budget, List<SampleEmbedding> hard, List<SampleEmbedding> owner) {
        static Instance random(Random rnd) {
            int dim = 3;
            float[][] pool = new float[2 + rnd.nextInt(6)][dim];
            for (float[] v : pool) {
                for (int i = 0; i < dim; i++) {
                    v[i] = rnd.nextInt(5) - 2;
                }
                v[rnd.nextInt(dim)] = 3; // never zero
            }
            List<SampleEmbedding> hard = new ArrayList<>();
            int h = 1 + rnd.nextInt(4);
            for (int i = 0; i < h; i++) {
                hard.add(new SampleEmbedding("h" + i, pool[rnd.nextInt(pool.length)].clone()));
            }
            List<SampleEmbedding> owner = new ArrayList<>();
            int n = rnd.nextInt(16);
            TreeSet<String> ids = new TreeSet<>();
            while (ids.size() < n) {
                ids.add("s" + rnd.nextInt(100));
            }
            for (String id : ids) {
                float[] v = pool[rnd.nextInt(pool.length)].clone();
                if (rnd.nextInt(3) == 0) {
                    float scale = rnd.nextBoolean() ? 2 : 0.5f;
                    for (int i = 0; i < dim; i++) {
                        v[i] *= scale;
                    }
                }
                owner.add(new SampleEmbedding(id, v));
            }
            Collections.shuffle(owner, rnd);
            int k = 1 + rnd.nextInt(4);
            return new Instance(k, rnd.nextBoolean() ? k * h : 1 + rnd.nextInt(k * h + 4), hard, owner);
        }
    }

    /** κ*, D_useful_c (sorted by id) and Algorithm 3's uncut U(κ*) (sorted by id) of the brute-force twin. */
    record Expected(int effectiveK, List<String> sampleIds, List<String> union) {
    }

    /**
     * Obviously-correct twin: duplicates collapsed by comparing vectors, full sort per hard sample cut to its first
     * C = max(k, B_c), near-copies (cosine ≥ 1 − 1e-4 by a plain double loop) with a smaller id anywhere in those lists
     * dropped from all of them, union recomputed from scratch for every κ, then each member's key (κ_o, δ_o, id)
     * computed from the lists and the union sorted by it and cut at B_c.
     */
    static Expected bruteForce(Instance in) {
        java.util.Map<String, SampleEmbedding> byContent = new java.util.HashMap<>();
        for (SampleEmbedding o : in.owner()) {
            byContent.merge(java.util.Arrays.toString(o.vector()), o,
                    (x, y) -> x.sampleId().compareTo(y.sampleId()) <= 0 ? x : y);
        }
        List<SampleEmbedding> distinct = new ArrayList<>(byContent.values());
        List<List<String>> ranked = new ArrayList<>();
        List<Function<SampleEmbedding, Double>> distances = new ArrayList<>();
        for (SampleEmbedding h : in.hard()) {
            double[] hu = UnitVectors.unit(h.vector(), 3, "h");
            List<SampleEmbedding> sorted = new ArrayList<>(distinct);
            Function<SampleEmbedding, Double> d = o -> UnitVectors.squaredDistance(hu, UnitVectors.unit(o.vector(), 3, "o"));
            sorted.sort(Comparator.comparing(d).thenComparing(SampleEmbedding::sampleId));
            ranked.add(sorted.stream().map(SampleEmbedding::sampleId).limit(Math.max(in.k(), in.budget())).toList());
            distances.add(d);
        }
        java.util.Map<String, float[]> vectorOf = new java.util.HashMap<>();
        distinct.forEach(o -> vectorOf.put(o.sampleId(), o.vector()));
        java.util.Set<String> retained = new TreeSet<>();
        ranked.forEach(retained::addAll);
        java.util.Set<String> shadowed = new java.util.HashSet<>();
        for (String a : retained) {
            for (String b : retained) {
                if (b.compareTo(a) < 0 && OmpInstances.plainCosine(vectorOf.get(a), vectorOf.get(b)) >= 1 - 1e-4) {
                    shadowed.add(a);
                }
            }
        }
        ranked.replaceAll(r -> r.stream().filter(id -> !shadowed.contains(id)).toList());
        int longest = ranked.stream().mapToInt(List::size).max().orElse(0);
        for (int kappa = in.k(); ; kappa++) {
            TreeSet<String> union = new TreeSet<>();
            for (List<String> r : ranked) {
                union.addAll(r.subList(0, Math.min(kappa, r.size())));
            }
            if (union.size() >= in.budget() || kappa >= longest) {
                java.util.Map<String, double[]> key = new java.util.HashMap<>(); // id → {κ_o, δ_o}
                for (SampleEmbedding o : distinct) {
                    for (int h = 0; h < ranked.size(); h++) {
                        int rank = ranked.get(h).indexOf(o.sampleId()) + 1;
                        if (rank == 0) {
                            continue;
                        }
                        double[] mine = {rank, distances.get(h).apply(o)};
                        key.merge(o.sampleId(), mine, (a, b) -> a[0] != b[0] ? (a[0] < b[0] ? a : b) : (a[1] <= b[1] ? a : b));
                    }
                }
                List<String> byKey = new ArrayList<>(union);
                byKey.sort(Comparator.<String>comparingDouble(id -> key.get(id)[0]).thenComparingDouble(id -> key.get(id)[1])
                        .thenComparing(Comparator.naturalOrder()));
                List<String> cut = new ArrayList<>(byKey.subList(0, Math.min(in.budget(), byKey.size())));
                Collections.sort(cut);
                return new Expected(kappa, cut, new ArrayList<>(union));
            }
        }
    }

    @Test
    void batchMatchesBruteForceOnRandomInstances() {
        Random rnd = new Random(42);
        for (int t = 0; t < 2000; t++) {
            Instance in = Instance.random(rnd);
            RetrieveTopK.Selection s = RetrieveTopK.batch(in.k(), in.budget(), in.hard(), in.owner());
            Expected expected = bruteForce(in);
            assertThat(s.sampleIds()).as("instance %d", t).isEqualTo(expected.sampleIds());
            assertThat(s.effectiveK()).as("instance %d", t).isEqualTo(expected.effectiveK());
            assertThat(s.sampleIds()).as("instance %d", t).hasSizeLessThanOrEqualTo(in.budget());
        }
    }

    /**
     * Never more than B_c; with B_c = k·|D_hard_c| the cut only trims Algorithm 3's overshoot: the selection is
     * U(κ*) whenever that fits, and otherwise B_c of its members.
     */
    @Test
    void theCutKeepsAtMostBcAndChangesNothingWhenAlgorithm3Fits() {
        Random rnd = new Random(99);
        int trimmed = 0;
        for (int t = 0; t < 2000; t++) {
            Instance in = Instance.random(rnd);
            List<String> ids = RetrieveTopK.batch(in.k(), in.budget(), in.hard(), in.owner()).sampleIds();
            List<String> union = bruteForce(in).union();
            assertThat(ids).as("instance %d", t).hasSize(Math.min(in.budget(), union.size())).isSubsetOf(union);
            if (union.size() <= in.budget()) {
                assertThat(ids).as("instance %d", t).isEqualTo(union);
            } else if (in.budget() == in.k() * in.hard().size()) {
                trimmed++;
            }
        }
        assertThat(trimmed).as("instances where Algorithm 3 overshot k·|D_hard_c|").isPositive();
    }

    /**
     * Two hard samples far apart, k = 2, B_c = 3: U(2) has four samples; the layer of nearest neighbours (a, b) comes
     * first, then the nearer of the two second neighbours (c, at 0.1 from h1's direction, beats d).
     */
    @Test
    void theUnionIsRankedLayerByLayerAndCutAtTheBudget() {
        List<SampleEmbedding> hard = List.of(new SampleEmbedding("h1", new float[] {1, 0}),
                new SampleEmbedding("h2", new float[] {0, 1}));
        List<SampleEmbedding> owner = List.of(new SampleEmbedding("a", new float[] {1, 0.01f}),
                new SampleEmbedding("c", new float[] {1, 0.1f}), new SampleEmbedding("b", new float[] {0.01f, 1}),
                new SampleEmbedding("d", new float[] {0.3f, 1}));
        assertThat(RetrieveTopK.batch(2, 4, hard, owner).sampleIds()).containsExactly("a", "b", "c", "d");
        RetrieveTopK.Selection s = RetrieveTopK.batch(2, 3, hard, owner);
        assertThat(s.sampleIds()).containsExactly("a", "b", "c");
        assertThat(s.effectiveK()).isEqualTo(2);
        assertThat(RetrieveTopK.batch(2, 1, hard, owner).sampleIds()).containsExactly("a");
        RetrieveTopKStream stream = RetrieveTopKStream.start(2, 3, hard);
        owner.forEach(o -> stream.offer(List.of(o)));
        assertThat(stream.selection()).isEqualTo(s);
    }

    @Test
    void streamingEqualsBatchForAnyArrivalOrder() {
        Random rnd = new Random(7);
        for (int t = 0; t < 1000; t++) {
            Instance in = Instance.random(rnd);
            RetrieveTopK.Selection batch = RetrieveTopK.batch(in.k(), in.budget(), in.hard(), in.owner());
            double[] h0 = UnitVectors.unit(in.hard().get(0).vector(), 3, "h");
            Comparator<SampleEmbedding> byDistance = Comparator.comparingDouble(
                    o -> UnitVectors.squaredDistance(h0, UnitVectors.unit(o.vector(), 3, "o")));
            List<List<SampleEmbedding>> orders = new ArrayList<>();
            orders.add(in.owner());
            orders.add(sorted(in.owner(), Comparator.comparing(SampleEmbedding::sampleId)));
            orders.add(sorted(in.owner(), Comparator.comparing(SampleEmbedding::sampleId).reversed()));
            orders.add(sorted(in.owner(), byDistance.thenComparing(SampleEmbedding::sampleId)));
            orders.add(sorted(in.owner(), byDistance.reversed().thenComparing(SampleEmbedding::sampleId)));
            for (List<SampleEmbedding> order : orders) {
                RetrieveTopKStream one = RetrieveTopKStream.start(in.k(), in.budget(), in.hard());
                for (SampleEmbedding o : order) {
                    one.offer(List.of(o));
                }
                assertThat(one.selection()).as("instance %d one by one", t).isEqualTo(batch);

                // Selected after every micro-batch, as the processor does: R's near-copy index is then kept as R gains and
                // loses members, and must equal the batch answer over the samples offered so far at every step.
                RetrieveTopKStream micro = RetrieveTopKStream.start(in.k(), in.budget(), in.hard());
                for (int i = 0; i < order.size(); ) {
                    int j = Math.min(order.size(), i + 1 + rnd.nextInt(4));
                    micro.offer(order.subList(i, j));
                    assertThat(micro.selection()).as("instance %d after %d samples", t, j)
                            .isEqualTo(RetrieveTopK.batch(in.k(), in.budget(), in.hard(), order.subList(0, j)));
                    i = j;
                }
                micro.offer(order); // redelivery of everything is a no-op
                assertThat(micro.selection()).as("instance %d micro-batches + redelivery", t).isEqualTo(batch);
            }
        }
    }

    @Test
    void storedHeapsRoundTripAndResumeExactly() {
        Random rnd = new Random(3);
        for (int t = 0; t < 500; t++) {
            Instance in = Instance.random(rnd);
            int half = in.owner().size() / 2;
            RetrieveTopKStream first = RetrieveTopKStream.start(in.k(), in.budget(), in.hard());
            java.util.Map<String, float[]> stored = new java.util.HashMap<>(); // the vectors, kept as the processor keeps them
            // The heaps, stored as the processor stores them: only those an offer says changed.
            List<byte[]> storedHeaps = new ArrayList<>(first.heaps().stream().map(NeighbourHeapCodec::encode).toList());
            for (SampleEmbedding o : in.owner().subList(0, half)) {
                RetrieveTopKStream.Change change = first.offer(List.of(o));
                change.entered().forEach(e -> assertThat(stored.put(e.sampleId(), e.vector())).isNull());
                change.left().forEach(id -> assertThat(stored.remove(id)).isNotNull());
                change.changedHeaps().forEach(h -> storedHeaps.set(h, NeighbourHeapCodec.encode(first.heaps().get(h))));
            }
            List<NeighbourHeap> decoded = new ArrayList<>();
            java.util.Set<String> held = new TreeSet<>();
            for (int i = 0; i < storedHeaps.size(); i++) {
                NeighbourHeap h = first.heaps().get(i);
                NeighbourHeap back = NeighbourHeapCodec.decode(storedHeaps.get(i));
                assertThat(back).as("instance %d: heap %d as stored", t, i).isEqualTo(h);
                decoded.add(back);
                h.neighbours().forEach(n -> held.add(n.sampleId()));
            }
            assertThat(stored.keySet()).as("instance %d: the stored vectors are exactly those of the held samples", t)
                    .isEqualTo(held);
            RetrieveTopKStream resumed = RetrieveTopKStream.restore(in.k(), in.budget(), in.hard(), decoded, stored::get);
            resumed.offer(in.owner().subList(half, in.owner().size()));
            assertThat(resumed.selection()).isEqualTo(RetrieveTopK.batch(in.k(), in.budget(), in.hard(), in.owner()));
        }
    }

    @Test
    void kIsRaisedWhileDuplicatesLeaveTooFewUniqueSamples() {
        float[] same = {1, 0};
        List<SampleEmbedding> hard = List.of(new SampleEmbedding("h1", same), new SampleEmbedding("h2", same));
        List<SampleEmbedding> owner = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            owner.add(new SampleEmbedding("s" + i, new float[] {1, i}));
        }
        // both hard samples share their 2 nearest → U(2)={s0,s1}, U(3) has 3, U(4) has 4 = k·|D_hard|
        RetrieveTopK.Selection s = RetrieveTopK.batch(2, 4, hard, owner);
        assertThat(s.effectiveK()).isEqualTo(4);
        assertThat(s.sampleIds()).containsExactly("s0", "s1", "s2", "s3");
    }

    @Test
    void exactDuplicatesAreOneCandidateRepresentedByTheSmallestId() {
        float[] same = {1, 0};
        List<SampleEmbedding> hard = List.of(new SampleEmbedding("h1", same), new SampleEmbedding("h2", same));
        List<SampleEmbedding> owner = List.of(new SampleEmbedding("b", new float[] {1, 0}),
                new SampleEmbedding("a", new float[] {1, 0}), new SampleEmbedding("c", new float[] {0, 1}));
        RetrieveTopK.Selection s = RetrieveTopK.batch(1, 2, hard, owner);
        assertThat(s.sampleIds()).containsExactly("a", "c");
        assertThat(s.effectiveK()).isEqualTo(2);
        for (List<SampleEmbedding> order : List.of(owner, List.of(owner.get(1), owner.get(0), owner.get(2)))) {
            RetrieveTopKStream stream = RetrieveTopKStream.start(1, 2, hard);
            order.forEach(o -> stream.offer(List.of(o)));
            assertThat(stream.selection()).isEqualTo(s);
        }
    }

    @Test
    void anExhaustedClassReturnsEverything() {
        List<SampleEmbedding> hard = List.of(new SampleEmbedding("h1", new float[] {1, 0}),
                new SampleEmbedding("h2", new float[] {0, 1}));
        List<SampleEmbedding> owner = List.of(new SampleEmbedding("b", new float[] {1, 1}),
                new SampleEmbedding("a", new float[] {1, 2}));
        RetrieveTopK.Selection s = RetrieveTopK.batch(3, 6, hard, owner);
        assertThat(s.sampleIds()).containsExactly("a", "b");
        assertThat(s.effectiveK()).isEqualTo(3);
    }

    /**
     * b and c are a rescaled (cosine 1) and d is a near-copy of a (cosine 1 − 8e-6: an embedding's near-copy, not a gradient's); e is distinct. With C = max(k, B_c)
     * = 5 all five are retained, b, c and d are dropped (a has the smallest id), and h's 2 nearest are a and e: the
     * selection and coverage of the owner without its copies. With C = 2 the retained are a and b, so h is left with one
     * neighbour: copies that crowd the retained lists are no evidence.
     */
    @Test
    void nearCopiesAmongTheRetainedCountOnceAsTheSmallestId() {
        List<SampleEmbedding> hard = List.of(new SampleEmbedding("h", new float[] {1, 0}));
        List<SampleEmbedding> owner = List.of(new SampleEmbedding("c", new float[] {4, 2}),
                new SampleEmbedding("b", new float[] {1, 0.5f}), new SampleEmbedding("a", new float[] {2, 1}),
                new SampleEmbedding("d", new float[] {2, 1.01f}), new SampleEmbedding("e", new float[] {1, 1}));
        RetrieveTopK.Selection s = RetrieveTopK.batch(2, 5, hard, owner);
        assertThat(s.sampleIds()).containsExactly("a", "e");
        assertThat(s.effectiveK()).isEqualTo(2);
        assertThat(s.coverage()).isCloseTo((2 / Math.sqrt(5) + 1 / Math.sqrt(2)) / 2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(RetrieveTopK.batch(2, 5, hard, List.of(owner.get(2), owner.get(4)))).as("without the copies").isEqualTo(s);
        RetrieveTopK.Selection crowded = RetrieveTopK.batch(2, 2, hard, owner);
        assertThat(crowded.sampleIds()).containsExactly("a");
        assertThat(crowded.coverage()).isCloseTo(1 / Math.sqrt(5), org.assertj.core.data.Offset.offset(1e-12));
        for (int budget : new int[] {2, 5}) {
            for (List<SampleEmbedding> order : List.of(owner, sorted(owner, Comparator.comparing(SampleEmbedding::sampleId).reversed()))) {
                RetrieveTopKStream stream = RetrieveTopKStream.start(2, budget, hard);
                order.forEach(o -> stream.offer(List.of(o)));
                assertThat(stream.selection()).isEqualTo(RetrieveTopK.batch(2, budget, hard, owner));
            }
        }
    }

    /** A near-copy shadowed by a smaller id is kept again once its shadower is pushed out of every heap, i.e. out of R. */
    @Test
    void aShadowedNeighbourIsKeptAgainWhenItsShadowerLeavesR() {
        List<SampleEmbedding> hard = List.of(new SampleEmbedding("h", new float[] {1, 0}));
        SampleEmbedding a = new SampleEmbedding("a", new float[] {(float) Math.cos(0.31), (float) Math.sin(0.31)});
        SampleEmbedding b = new SampleEmbedding("b", new float[] {(float) Math.cos(0.30), (float) Math.sin(0.30)});
        SampleEmbedding c = new SampleEmbedding("c", new float[] {(float) Math.cos(0.10), (float) Math.sin(0.10)});
        RetrieveTopKStream stream = RetrieveTopKStream.start(1, 2, hard);
        stream.offer(List.of(a, b));
        assertThat(stream.selection().sampleIds()).as("b is a's near-copy with a larger id").containsExactly("a");
        assertThat(stream.offer(List.of(c)).left()).containsExactly("a");
        assertThat(stream.selection().sampleIds()).containsExactly("b", "c");
        assertThat(stream.selection()).isEqualTo(RetrieveTopK.batch(1, 2, hard, List.of(a, b, c)));
    }

    @Test
    void equalDistancesAreBrokenBySampleId() {
        List<SampleEmbedding> hard = List.of(new SampleEmbedding("h", new float[] {1, 0}));
        List<SampleEmbedding> owner = List.of(new SampleEmbedding("c", new float[] {1, 1}),
                new SampleEmbedding("a", new float[] {1, -1}), new SampleEmbedding("b", new float[] {0, 1}));
        assertThat(RetrieveTopK.batch(1, 1, hard, owner).sampleIds()).containsExactly("a");
        RetrieveTopKStream stream = RetrieveTopKStream.start(1, 1, hard);
        stream.offer(owner);
        assertThat(stream.selection().sampleIds()).containsExactly("a");
    }

    @Test
    void coverageIsTheMeanCosineOfTheKNearestWithMissingNeighboursAsZero() {
        List<SampleEmbedding> hard = List.of(new SampleEmbedding("h1", new float[] {1, 0}),
                new SampleEmbedding("h2", new float[] {0, 1}));
        List<SampleEmbedding> owner = List.of(new SampleEmbedding("x", new float[] {1, 0}));
        // h1: (cos 1 + missing 0)/2, h2: (cos 0 + missing 0)/2 → (0.5 + 0)/2
        RetrieveTopK.Selection s = RetrieveTopK.batch(2, 4, hard, owner);
        assertThat(s.coverage()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-12));
        RetrieveTopK.Selection other = new RetrieveTopK.Selection(List.of(), 1, 1.0, 6);
        assertThat(RetrieveTopK.coverage(List.of(s, other))).isCloseTo((0.25 * 2 + 6) / 8,
                org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void badVectorsAreRejectedAndLeaveTheHeapsUnchanged() {
        List<SampleEmbedding> hard = List.of(new SampleEmbedding("h", new float[] {1, 0}));
        RetrieveTopKStream stream = RetrieveTopKStream.start(2, 2, hard);
        stream.offer(List.of(new SampleEmbedding("ok", new float[] {1, 1})));
        byte[] before = NeighbourHeapCodec.encode(stream.heaps().get(0));
        SampleEmbedding good = new SampleEmbedding("good", new float[] {0, 1});
        for (SampleEmbedding bad : List.of(new SampleEmbedding("dim", new float[] {1, 0, 0}),
                new SampleEmbedding("nan", new float[] {Float.NaN, 1}),
                new SampleEmbedding("inf", new float[] {1, Float.POSITIVE_INFINITY}),
                new SampleEmbedding("zero", new float[] {0, 0}))) {
            assertThatThrownBy(() -> stream.offer(List.of(good, bad)))
                    .isInstanceOf(InvalidVectorException.class).hasMessageContaining(bad.sampleId());
            assertThat(NeighbourHeapCodec.encode(stream.heaps().get(0))).isEqualTo(before);
        }
        assertThatThrownBy(() -> RetrieveTopK.batch(1, 1, hard, List.of(new SampleEmbedding("z", new float[] {0, 0}))))
                .isInstanceOf(InvalidVectorException.class).hasMessageContaining("zero norm");
        assertThatThrownBy(() -> RetrieveTopK.batch(1, 1, hard, List.of(good, good)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    @Test
    void heapsThatCannotAnswerTheRuleAreRejected() {
        List<SampleEmbedding> hard = List.of(new SampleEmbedding("h1", new float[] {1, 0}),
                new SampleEmbedding("h2", new float[] {0, 1}));
        assertThatThrownBy(() -> RetrieveTopKStream.restore(2, 4, hard, List.of(new NeighbourHeap(3), new NeighbourHeap(3)), id -> null))
                .hasMessageContaining("max(k, B_c) = 4");
        assertThatThrownBy(() -> RetrieveTopKStream.restore(2, 4, hard, List.of(new NeighbourHeap(4)), id -> null))
                .hasMessageContaining("1 heaps for 2 hard samples");
        NearCopies empty = NearCopies.of(List.of(), NearCopies.MIN_EMBEDDING_COSINE);
        assertThatThrownBy(() -> RetrieveTopK.fromHeaps(3, 2, List.of(new NeighbourHeap(2), new NeighbourHeap(2)), empty))
                .hasMessageContaining("below max(k, B_c) = 3");
        NeighbourHeap fuller = new NeighbourHeap(4);
        fuller.offer("x", 0.1, 7);
        assertThatThrownBy(() -> RetrieveTopK.fromHeaps(2, 4, List.of(fuller, new NeighbourHeap(4)), empty))
                .hasMessageContaining("same owner samples");
        NeighbourHeap same = new NeighbourHeap(4);
        same.offer("x", 0.2, 7);
        assertThatThrownBy(() -> RetrieveTopK.fromHeaps(2, 4, List.of(fuller, same), empty))
                .hasMessageContaining("retained sample x is not in the near-copy index of R");
        NeighbourHeap one = new NeighbourHeap(4);
        one.offer("x", 0.1, 7);
        assertThatThrownBy(() -> RetrieveTopKStream.restore(2, 4, hard, List.of(fuller, one), id -> null))
                .hasMessageContaining("no stored vector for held sample x");
    }

    @Test
    void corruptHeapBytesAreRejected() {
        NeighbourHeap heap = new NeighbourHeap(3);
        heap.offer("a", 0.5, 1);
        heap.offer("b", 0.25, 2);
        byte[] ok = NeighbourHeapCodec.encode(heap);
        byte[] version = ok.clone();
        version[0] = 9;
        assertThatThrownBy(() -> NeighbourHeapCodec.decode(version)).hasMessageContaining("version 9");
        assertThatThrownBy(() -> NeighbourHeapCodec.decode(java.util.Arrays.copyOf(ok, ok.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NeighbourHeapCodec.decode(java.util.Arrays.copyOf(ok, ok.length + 1)))
                .hasMessageContaining("trailing");
        assertThat(NeighbourHeapCodec.decode(ok).neighbours()).extracting(Neighbour::sampleId).containsExactly("b", "a");
    }

    private static List<SampleEmbedding> sorted(List<SampleEmbedding> in, Comparator<SampleEmbedding> order) {
        List<SampleEmbedding> out = new ArrayList<>(in);
        out.sort(order);
        return out;
    }
}
