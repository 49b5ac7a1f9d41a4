package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rescaled copies and near-copies within one owner's class count once (issue 13). Two candidates are near-copies when
 * the cosine of their features is at least 1 − ε:
 * <pre>  near(a, b)  ⇔  ⟨a, b⟩ / (‖a‖·‖b‖) ≥ 1 − ε</pre>
 * (one formula, {@link #cosine}, symmetric to the bit), with ε = 1e-6 for gradients ({@link #MIN_COSINE}, the issue's
 * threshold for rescaled atoms) and ε = 1e-4 for embeddings ({@link #MIN_EMBEDDING_COSINE}, measured: see there). A candidate is <em>shadowed</em> when a near-copy with a smaller
 * sampleId is held, whether or not that one is itself shadowed:
 * <pre>  kept(S) = { c ∈ S : no d ∈ S with d.sampleId &lt; c.sampleId and near(c, d) }</pre>
 * kept(S) is a function of the set S alone, so it does not depend on arrival order, and it only shrinks as S grows
 * (an arrival can shadow a kept candidate, never revive a shadowed one): incremental OMP withdraws the newly shadowed and
 * never offers a shadowed arrival, and batch OMP runs over kept(S), so streamed = batch still holds bit for bit.
 *
 * <p>Prefilter, exact in outcome: each candidate's unit direction u is projected on {@value #PROJECTIONS} fixed unit
 * directions r_j (Gaussian, seed {@value #SEED}, per dimension, kept as float32 so ‖r_j‖ = 1 within 1e-7),
 * p_j = ⟨u, r_j⟩. If cos(a, b) ≥ 1 − ε then
 * ‖u_a − u_b‖² = 2(1 − cos) ≤ 2ε, so by Cauchy–Schwarz |p_j(a) − p_j(b)| ≤ ‖u_a − u_b‖·‖r_j‖ ≤ √(2ε) = 1.4142·√ε for
 * every j. Candidates are hashed into square cells of side 2w on (p_0, p_1), with the window w = 1.5·√ε (1.5e-3 for
 * gradients). On each axis a point in the lower half of its cell has every point within w in its cell or the one
 * below, and one in the upper half in its cell or the one above, so a query probes four cells; it drops those with
 * |Δp_j| &gt; w for some j, and computes the exact cosine for the rest. The margin (1.5 − 1.4142)·√ε is at least eight
 * orders of magnitude above the rounding of the double-precision projections and cosine, so a pair whose computed
 * cosine passes is never filtered out.
 * Cost per candidate: {@value #PROJECTIONS} dot products of length d, plus one exact cosine per survivor of the filter
 * (measured: 8–11 µs per sample at d = 1,290, about 30 dot products; {@code load-tests/…/omp/NearCopiesTiming}).
 */
public final class NearCopies {
    /** The near-copy threshold on the cosine of two gradients (OMP's candidates): the 1 − 1e-6. */
    public static final double MIN_COSINE = 1 - 1e-6;
    /**
     * The near-copy threshold on the cosine of two embeddings (RetrieveTopK's neighbours): 1 − 1e-4. Measured on the
     * strategic scenario's published embeddings, seeds 1–5 (reports/strategic.md): 89–93 % of the rescaled copies of
     * an image are within 1e-4 of their original (all within 1e-3; only 15–17 % within 1e-6), while no two distinct
     * images of any owner came closer than 1 − 6.1e-4, six times farther.
     */
    public static final double MIN_EMBEDDING_COSINE = 1 - 1e-4;
    static final int PROJECTIONS = 4;
    static final long SEED = 0x6d7963726f6674L;
    private static final Map<Integer, float[][]> DIRECTIONS = new ConcurrentHashMap<>();

    private final double minCosine;
    /** The filter bound 1.5·√ε: above √(2ε) = 1.4142·√ε, the largest |Δp_j| of a near pair. */
    private final double window;
    /** The side of a hash cell: twice the window, so that a query probes two cells per axis. */
    private final double cell;

    private final Map<String, Held> held = new HashMap<>();
    private final Map<Long, List<Held>> cells = new HashMap<>();
    private final Set<String> shadowed = new HashSet<>();

    private record Held(Candidate candidate, double[] p, long cell) {
    }

    /** What an {@link #add} changed: the arrivals left kept, and previously kept candidates it shadowed. */
    public record Change(List<Candidate> kept, List<String> newlyShadowed) {
    }

    private NearCopies(double minCosine) {
        if (!(minCosine > 0 && minCosine < 1)) {
            throw new IllegalArgumentException("a near-copy threshold is a cosine in (0, 1), was " + minCosine);
        }
        this.minCosine = minCosine;
        this.window = 1.5 * Math.sqrt(1 - minCosine);
        this.cell = 2 * window;
    }

    /** An index over {@code candidates} (distinct sampleIds, each valid with a non-zero norm) at {@link #MIN_COSINE}. */
    public static NearCopies of(Collection<Candidate> candidates) {
        return of(candidates, MIN_COSINE);
    }

    /** An index over {@code candidates} at the threshold {@code minCosine}. */
    public static NearCopies of(Collection<Candidate> candidates, double minCosine) {
        NearCopies index = new NearCopies(minCosine);
        index.add(candidates);
        return index;
    }

    /**
     * cos(a, b) = ⟨a, b⟩ / (‖a‖·‖b‖), the dot product by {@link DotKernel}: symmetric to the bit (its products commute and
     * its summation order depends on the index only).
     */
    public static double cosine(Candidate a, Candidate b) {
        return DotKernel.dot(a.features(), b.features()) / (a.norm() * b.norm());
    }

    /** kept(S) of {@code candidates} (distinct sampleIds) at {@link #MIN_COSINE}, in their given order. */
    public static List<Candidate> kept(Collection<Candidate> candidates) {
        NearCopies index = of(candidates);
        List<Candidate> out = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            if (!index.isShadowed(c.sampleId())) {
                out.add(c);
            }
        }
        return out;
    }

    /** True when {@code sampleId} is held and shadowed by a near-copy with a smaller id. */
    public boolean isShadowed(String sampleId) {
        return shadowed.contains(sampleId);
    }

    /** True when {@code sampleId} is held. */
    public boolean holds(String sampleId) {
        return held.containsKey(sampleId);
    }

    /** How many held candidates are shadowed. */
    public int shadowedCount() {
        return shadowed.size();
    }

    /**
     * Adds {@code arrivals} (ids not held yet) and returns which of them stay kept and which previously kept candidates
     * they shadow.
     */
    public Change add(Collection<Candidate> arrivals) {
        List<Held> added = new ArrayList<>(arrivals.size());
        for (Candidate c : arrivals) {
            double[] p = project(c);
            Held h = new Held(c, p, cell(cellIndex(p[0]), cellIndex(p[1])));
            if (held.putIfAbsent(c.sampleId(), h) != null) {
                throw new IllegalArgumentException("candidate " + c.sampleId() + " is already held");
            }
            cells.computeIfAbsent(h.cell, k -> new ArrayList<>()).add(h);
            added.add(h);
        }
        List<Candidate> kept = new ArrayList<>();
        List<String> newlyShadowed = new ArrayList<>();
        Set<String> arriving = new HashSet<>();
        added.forEach(h -> arriving.add(h.candidate.sampleId()));
        for (Held a : added) {
            String id = a.candidate.sampleId();
            for (Held b : near(a)) {
                String other = b.candidate.sampleId();
                if (other.compareTo(id) < 0) {
                    shadowed.add(id);
                } else if (!arriving.contains(other) && shadowed.add(other)) {
                    newlyShadowed.add(other);
                }
            }
        }
        for (Held a : added) {
            if (!shadowed.contains(a.candidate.sampleId())) {
                kept.add(a.candidate);
            }
        }
        return new Change(kept, newlyShadowed);
    }

    /**
     * Removes a held candidate that an exact duplicate with a smaller id replaces. Every candidate it shadowed stays
     * shadowed, by the replacement (same features, smaller id), once that is {@link #add added}.
     */
    public void remove(String sampleId) {
        Held h = held.remove(sampleId);
        if (h != null) {
            cells.get(h.cell).remove(h);
            shadowed.remove(sampleId);
        }
    }

    /**
     * Withdraws a held candidate from S, with S's rule re-applied to what it shadowed: a candidate it shadowed is kept
     * again unless another held near-copy with a smaller id still shadows it. Afterwards the index is the one
     * {@link #of} would build over the candidates still held (RetrieveTopK's R, which loses members as its heaps fill).
     *
     * @return the ids kept again, ascending
     */
    public List<String> withdraw(String sampleId) {
        Held h = held.get(sampleId);
        if (h == null) {
            return List.of();
        }
        List<Held> neighbours = near(h);
        held.remove(sampleId);
        cells.get(h.cell).remove(h);
        shadowed.remove(sampleId);
        List<String> revived = new ArrayList<>();
        for (Held b : neighbours) {
            String id = b.candidate.sampleId();
            if (id.compareTo(sampleId) > 0 && shadowed.contains(id)
                    && near(b).stream().noneMatch(c -> c.candidate.sampleId().compareTo(id) < 0)) {
                shadowed.remove(id);
                revived.add(id);
            }
        }
        revived.sort(null);
        return revived;
    }

    /** The held candidates other than {@code a} whose cosine with it is at least the threshold. */
    private List<Held> near(Held a) {
        List<Held> out = new ArrayList<>();
        long i0 = cellIndex(a.p[0]);
        long i1 = cellIndex(a.p[1]);
        long j0 = neighbourCell(a.p[0], i0);
        long j1 = neighbourCell(a.p[1], i1);
        for (long c0 = Math.min(i0, j0); c0 <= Math.max(i0, j0); c0++) {
            for (long c1 = Math.min(i1, j1); c1 <= Math.max(i1, j1); c1++) {
                for (Held b : cells.getOrDefault(cell(c0, c1), List.of())) {
                    if (b != a && withinWindow(a.p, b.p) && cosine(a.candidate, b.candidate) >= minCosine) {
                        out.add(b);
                    }
                }
            }
        }
        return out;
    }

    private boolean withinWindow(double[] p, double[] q) {
        for (int j = 0; j < p.length; j++) {
            if (Math.abs(p[j] - q[j]) > window) {
                return false;
            }
        }
        return true;
    }

    /** The cell index of a projection: |p| ≤ 1, so it is within ±1 / cell and two of them pack into one long. */
    private long cellIndex(double p) {
        return (long) Math.floor(p / cell);
    }

    /**
     * The other cell on this axis that may hold a point within the window of p: the one below when p lies in the lower
     * half of cell i, else the one above. A near pair is at most √(2ε) = 0.4714·cell apart, so the half a point lies in
     * leaves a margin of 0.0286·cell (8.6e-5 for gradients), far above the rounding of p / cell.
     */
    private long neighbourCell(double p, long i) {
        return p / cell - i < 0.5 ? i - 1 : i + 1;
    }

    /**
     * The key of cell (i0, i1): the pair packed into 64 bits, then mixed by MurmurHash3's fmix64, a bijection, so keys
     * stay distinct. Unmixed, {@link Long#hashCode} folds the pair to i0 ^ i1, and whole diagonals of cells shared one
     * hash bucket (6 % of the stream thread in HashMap tree bins, load-tests/reports/streams.md).
     */
    private static long cell(long i0, long i1) {
        long k = (i0 << 32) ^ (i1 & 0xffffffffL);
        k = (k ^ (k >>> 33)) * 0xff51afd7ed558ccdL;
        k = (k ^ (k >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return k ^ (k >>> 33);
    }

    /** p_j = ⟨x, r_j⟩ / ‖x‖, each dot product by {@link DotKernel} (deterministic, SIMD when available). */
    static double[] project(Candidate c) {
        float[] x = c.features();
        float[][] r = directions(x.length);
        double[] p = new double[PROJECTIONS];
        for (int j = 0; j < PROJECTIONS; j++) {
            p[j] = DotKernel.dot(x, r[j]) / c.norm();
        }
        return p;
    }

    /**
     * The fixed directions r_j for dimension d, as float32: normalised in double and rounded, so ‖r_j‖ = 1 within
     * 1e-7 and the bound √(2ε)·‖r_j‖ stays below the window.
     */
    private static float[][] directions(int dim) {
        return DIRECTIONS.computeIfAbsent(dim, d -> {
            Random random = new Random(SEED ^ d);
            float[][] r = new float[PROJECTIONS][d];
            for (float[] rj : r) {
                double[] g = new double[d];
                double norm = 0;
                for (int i = 0; i < d; i++) {
                    g[i] = random.nextGaussian();
                    norm += g[i] * g[i];
                }
                norm = Math.sqrt(norm);
                for (int i = 0; i < d; i++) {
                    rj[i] = (float) (g[i] / norm);
                }
            }
            return r;
        });
    }
}
