package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact incremental OMP (DESIGN §3): keeps the {@link OmpPath} of the candidates offered so far and, for each batch of
 * arrivals, finds the first step t at which one of them would have won,
 * <pre>  s_t(x) = ⟨x, y⟩ − Σ_{i ∈ T_{t−1}} w_i^{(t−1)}·⟨x, a_i⟩  beats  (score_t, winner_t)  (higher, or equal with a smaller id),</pre>
 * keeps steps 1..t−1 and re-runs OMP from step t over the stored candidates plus the batch. Because the scores, the
 * tie-break and the re-run are exactly those of {@link OrthogonalMatchingPursuit}, the path equals, bit for bit, the
 * batch path of the same candidate set, whatever the arrival order.
 *
 * <p>Cost per arrival: one dot product with y and with each winner of the path (O(B·d)) plus O(B²) for the scores. A
 * divergence at step t re-runs steps t..B; the working memory of the last run ({@link OmpRun}: atoms and the Gram
 * columns of the winners) is kept between offers, so only atoms that never won before cost a column of n dot products:
 * O((B−t)·n·d) at worst, O(B·n·d) after a restore.
 *
 * <p>Duplicates (same feature bytes) are one candidate represented by the smallest sampleId: a larger duplicate is
 * ignored; a smaller one replaces the stored candidate, which diverges the path from the first step the old id won.
 * Re-offering a sampleId with the same features is a no-op; with other features it is rejected.
 *
 * <p>Near-copies (cosine ≥ 1 − 1e-6, {@link NearCopies}) are all stored, but OMP runs over the kept ones only: an arrival
 * shadowed by a stored near-copy with a smaller id is never offered, and a kept candidate that an arrival shadows is
 * withdrawn like a replaced duplicate (the path diverges from the first step it won). The store's contents do not depend
 * on arrival order and the kept set is a function of them, so the path still equals the batch path.
 */
public final class IncrementalOmp {
    private final double[] y;
    private final OmpOptions options;
    private final CandidateStore store;
    /** Where each arrival's atom is written while it is scored. */
    private final float[] scratch;
    private final Map<String, float[]> winnerAtoms = new HashMap<>();
    /** The winner atom of each step of {@link #path}, filled as scoring asks for them (null entries: not looked up yet). */
    private float[][] stepAtoms;
    /** The (last) step index of {@link #path} at which each winner won. */
    private Map<String, Integer> stepOfWinner;
    /** The near-copy index over the store, built on first use (after a restore: on the first offer). */
    private NearCopies nearCopies;
    private OmpPath path;
    private int[][] activeSteps;
    /** Working memory of the last run, kept while it stays valid; null after a restore or a duplicate rename. */
    private OmpRun run;

    /** The outcome of {@link #offer}: the new path, whether the useful subset changed, the re-run step (0 = none). */
    public record Offer(OmpPath path, boolean subsetChanged, int divergedAt) {
    }

    private IncrementalOmp(double[] y, OmpOptions options, CandidateStore store, OmpPath path, OmpRun run) {
        this.y = y.clone();
        this.options = options;
        this.store = store;
        this.scratch = new float[y.length];
        this.run = run;
        setPath(path);
    }

    /** A fresh state: the batch path over whatever {@code store} already holds (usually nothing). */
    public static IncrementalOmp start(double[] y, OmpOptions options, CandidateStore store) {
        return recompute(y, options, store, store.size());
    }

    /** The batch path over the candidates of {@code store}, with {@code samplesSeen} as the count of samples offered. */
    private static IncrementalOmp recompute(double[] y, OmpOptions options, CandidateStore store, long samplesSeen) {
        OrthogonalMatchingPursuit.requireTarget(y);
        NearCopies nearCopies = NearCopies.of(all(store));
        OmpRun run = new OmpRun(y, options, kept(store, nearCopies));
        IncrementalOmp omp = new IncrementalOmp(y, options, store, run.resume(List.of(), samplesSeen), run);
        omp.nearCopies = nearCopies;
        return omp;
    }

    /** Resumes from a stored path (e.g. decoded by {@link OmpStateCodec}) over the candidates of {@code store}. */
    public static IncrementalOmp restore(double[] y, OmpOptions options, CandidateStore store, OmpPath path) {
        OrthogonalMatchingPursuit.requireTarget(y);
        return new IncrementalOmp(y, options, store, path, null);
    }

    /**
     * Resumes from {@link OmpStateCodec} bytes. A path encoded by an earlier version was computed with atoms rounded
     * otherwise, so it is not continued: the batch path over the candidates replaces it, with its samples-seen count.
     */
    public static IncrementalOmp restore(double[] y, OmpOptions options, CandidateStore store, byte[] state) {
        OmpPath path = OmpStateCodec.decode(state);
        return OmpStateCodec.current(state) ? restore(y, options, store, path)
                : recompute(y, options, store, path.samplesSeen());
    }

    public OmpPath path() {
        return path;
    }

    /**
     * Frees the in-memory working memory (all atoms and the winners' Gram columns, ≈ n·d floats + B·n doubles); the
     * next divergence rebuilds it from the store. Results do not change.
     */
    public void dropWorkingMemory() {
        run = null;
        winnerAtoms.clear();
        stepAtoms = new float[stepAtoms.length][];
    }

    /**
     * Offers a batch of owner samples. All are validated first: a bad vector throws {@link InvalidVectorException} and
     * changes nothing.
     */
    public Offer offer(Collection<Candidate> batch) {
        Admission admission = admission(store, batch, y.length, options);
        if (nearCopies == null) {
            nearCopies = NearCopies.of(all(store));
        }
        List<String> withdrawn = new ArrayList<>();
        for (String id : admission.replaced()) {
            if (!nearCopies.isShadowed(id)) {
                withdrawn.add(id);
            }
            nearCopies.remove(id);
        }
        NearCopies.Change change = nearCopies.add(admission.arrivals());
        withdrawn.addAll(change.newlyShadowed());
        if (!withdrawn.isEmpty()) {
            run = null;
        }
        List<Scored> scored = new ArrayList<>(change.kept().size());
        for (Candidate c : change.kept()) {
            // One scratch array serves every arrival: the working memory copies an atom in, and nothing else keeps it.
            float[] x = OmpScoring.atom(c, options, scratch);
            Scored a = score(c, x);
            if (run != null) {
                run.add(c, x, a.xy, stepOfWinner, a.cw);
            }
            scored.add(a);
        }
        int t = firstDivergence(scored, withdrawn);
        admission.applyTo(store);
        OmpPath old = path;
        long seen = old.samplesSeen() + batch.size();
        if (t == 0) {
            path = new OmpPath(old.steps(), old.exhausted(), old.residualNorm(), old.targetNorm(), seen);
            return new Offer(path, false, 0);
        }
        if (run == null) {
            run = new OmpRun(y, options, kept(store, nearCopies));
        }
        setPath(run.resume(old.steps().subList(0, t - 1), seen));
        return new Offer(path, !old.subset().equals(path.subset()), t);
    }

    /**
     * Applies to {@code store} exactly the candidate changes {@link #offer} makes for {@code batch} (new candidates in,
     * larger-id duplicates out), without the OMP work: replaying a class's offers through this, in their order,
     * rebuilds its candidate store.
     */
    public static void admit(CandidateStore store, Collection<Candidate> batch, int dim, OmpOptions options) {
        admission(store, batch, dim, options).applyTo(store);
    }

    /** What an offer changes in the store: the arrivals to put and the stored duplicates they replace. */
    private record Admission(List<Candidate> arrivals, List<String> replaced) {
        void applyTo(CandidateStore store) {
            replaced.forEach(store::remove);
            arrivals.forEach(store::put);
        }
    }

    private static Admission admission(CandidateStore store, Collection<Candidate> batch, int dim, OmpOptions options) {
        List<Candidate> arrivals = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        for (Candidate c : OrthogonalMatchingPursuit.unique(batch, dim, options)) {
            var sameId = store.get(c.sampleId());
            if (sameId.isPresent()) {
                if (!sameId.get().sameFeatures(c)) {
                    throw new InvalidVectorException("sample " + c.sampleId()
                            + " was already offered with different features");
                }
                continue;
            }
            var duplicate = store.withFeatures(c.featureKey());
            if (duplicate.isPresent()) {
                if (duplicate.get().sampleId().compareTo(c.sampleId()) < 0) {
                    continue;
                }
                replaced.add(duplicate.get().sampleId());
            }
            arrivals.add(c);
        }
        return new Admission(arrivals, replaced);
    }

    /** An arrival with ⟨a, y⟩ and ⟨a, a_j⟩ for the winner a_j of every step j. */
    private record Scored(Candidate candidate, double xy, double[] cw) {
    }

    /** Scores an arrival whose atom is {@code x}. */
    private Scored score(Candidate c, float[] x) {
        List<OmpStep> steps = path.steps();
        double[] cw = new double[steps.size()];
        for (int i = 0; i < cw.length; i++) {
            cw[i] = DotKernel.dot(x, winnerAtom(i));
        }
        return new Scored(c, DotKernel.dot(x, y), cw);
    }

    /** The first step (1-based) the batch changes, or 0 when the path stays as it is. */
    private int firstDivergence(List<Scored> arrivals, List<String> withdrawn) {
        List<OmpStep> steps = path.steps();
        int first = Integer.MAX_VALUE;
        for (int t = 1; t <= steps.size() && !withdrawn.isEmpty(); t++) {
            if (withdrawn.contains(steps.get(t - 1).winner())) {
                first = t;
                break;
            }
        }
        for (Scored a : arrivals) {
            first = Math.min(first, firstWin(a, Math.min(first - 1, steps.size())));
        }
        if (first == Integer.MAX_VALUE && path.exhausted() && !arrivals.isEmpty()) {
            first = steps.size() + 1;
        }
        return first == Integer.MAX_VALUE ? 0 : first;
    }

    /** The first step t ≤ last at which the arrival beats the recorded winner, or MAX_VALUE. */
    private int firstWin(Scored a, int last) {
        for (int t = 1; t <= last; t++) {
            int[] act = activeSteps[t - 1];
            double[] ci = new double[act.length];
            for (int i = 0; i < act.length; i++) {
                ci[i] = a.cw[act[i]];
            }
            OmpStep step = path.steps().get(t - 1);
            double s = OmpScoring.score(a.xy, path.weightsAfter(t - 1), ci, options.correlation());
            if (OmpScoring.beats(s, a.candidate.sampleId(), step.score(), step.winner())) {
                return t;
            }
        }
        return Integer.MAX_VALUE;
    }

    private float[] winnerAtom(int stepIndex) {
        if (stepAtoms[stepIndex] == null) {
            String id = path.steps().get(stepIndex).winner();
            float[] held = run == null ? null : run.atom(id);
            stepAtoms[stepIndex] = held != null ? held : winnerAtoms.computeIfAbsent(id, k -> OmpScoring.atom(store.get(k)
                    .orElseThrow(() -> new IllegalStateException("candidate " + k + " of the OMP path is missing from the store")),
                    options));
        }
        return stepAtoms[stepIndex];
    }

    /** Installs a path and indexes, for every step t, its active atoms T_{t−1} by the step index that chose them. */
    private void setPath(OmpPath p) {
        path = p;
        List<OmpStep> steps = p.steps();
        activeSteps = new int[steps.size()][];
        stepAtoms = new float[steps.size()][];
        List<Integer> act = new ArrayList<>();
        Map<String, Integer> stepOf = new HashMap<>();
        for (int t = 0; t < steps.size(); t++) {
            activeSteps[t] = act.stream().mapToInt(Integer::intValue).toArray();
            OmpStep s = steps.get(t);
            stepOf.put(s.winner(), t);
            if (!s.dependent()) {
                act.add(t);
            }
            for (String d : s.dropped()) {
                act.remove(stepOf.get(d));
            }
        }
        winnerAtoms.keySet().retainAll(stepOf.keySet());
        stepOfWinner = Map.copyOf(stepOf); // immutable: OmpRun indexes its column holders by it until the next path
    }

    /** The stored candidates no near-copy with a smaller id shadows. */
    private static List<Candidate> kept(CandidateStore store, NearCopies nearCopies) {
        List<Candidate> out = new ArrayList<>(store.size());
        store.forEach(c -> {
            if (!nearCopies.isShadowed(c.sampleId())) {
                out.add(c);
            }
        });
        return out;
    }

    private static List<Candidate> all(CandidateStore store) {
        List<Candidate> out = new ArrayList<>(store.size());
        store.forEach(out::add);
        return out;
    }
}
