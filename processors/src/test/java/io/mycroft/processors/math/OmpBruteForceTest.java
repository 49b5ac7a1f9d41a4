package io.mycroft.processors.math;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** OMP on tiny instances (n ≤ 12, B ≤ 3) against exhaustive search of its objective. */
class OmpBruteForceTest {
    private static final int D = 8;

    /**
     * Classical OMP (|⟨a, r⟩|, least squares, unit columns) is within the greedy bound of Das &amp; Kempe (2011, Thm 3.7):
     * R²(OMP_B) ≥ (1 − e^{−γ·λ_min(C, 2B)})·R²(OPT_B), with γ ≥ λ_min(C, 2B); R² = ‖y‖² − min_w ‖y − A_S·w‖².
     */
    @Test
    void classicalOmpIsWithinTheGreedyBoundOfTheOptimum() {
        for (long seed = 0; seed < 300; seed++) {
            Random rnd = new Random(seed);
            int n = 2 + rnd.nextInt(11);
            int b = 1 + rnd.nextInt(3);
            List<Candidate> cs = gaussian(rnd, n);
            double[] y = gaussianTarget(rnd);
            OmpOptions o = OmpOptions.leastSquares(b).withNormalize(true);
            OmpPath path = OrthogonalMatchingPursuit.solve(y, cs, o);
            List<float[]> atoms = cs.stream().map(c -> OmpScoring.atom(c, o)).toList();
            double yy = dot(y, y);

            double omp = yy - objective(atoms, indices(path.subset().sampleIds()), y, 0, false);
            double best = 0;
            double lambdaMin = Double.MAX_VALUE;
            for (int[] s : subsets(n, Math.min(b, n))) {
                best = Math.max(best, yy - objective(atoms, s, y, 0, false));
            }
            for (int[] s : subsets(n, Math.min(2 * b, n))) {
                lambdaMin = Math.min(lambdaMin, minEigenvalue(atoms, s));
            }
            double bound = 1 - Math.exp(-lambdaMin * lambdaMin);
            assertThat(omp).as("seed %d", seed).isLessThanOrEqualTo(best * (1 + 1e-9) + 1e-12);
            assertThat(omp).as("seed %d", seed).isGreaterThanOrEqualTo(bound * best - 1e-9);
            if (b == 1) {
                assertThat(omp).as("B = 1 is exact, seed %d", seed).isCloseTo(best, within(1e-9 * yy));
            }
        }
    }

    /** B = 1 in GradMatch form picks the single atom with the best non-negative ridge objective. */
    @Test
    void gradMatchWithOneAtomIsOptimal() {
        for (long seed = 0; seed < 300; seed++) {
            Random rnd = new Random(seed);
            int n = 1 + rnd.nextInt(12);
            List<Candidate> cs = gaussian(rnd, n);
            double[] y = gaussianTarget(rnd);
            OmpOptions o = OmpOptions.gradMatch(1);
            OmpPath path = OrthogonalMatchingPursuit.solve(y, cs, o);
            List<float[]> atoms = cs.stream().map(c -> OmpScoring.atom(c, o)).toList();
            double best = Double.MAX_VALUE;
            for (int j = 0; j < n; j++) {
                best = Math.min(best, objective(atoms, new int[]{j}, y, 0.5, true));
            }
            int[] chosen = indices(path.subset().sampleIds());
            double omp = objective(atoms, chosen, y, 0.5, true);
            assertThat(omp).as("seed %d", seed).isCloseTo(best, within(1e-9 * dot(y, y)));
        }
    }

    /** Every step's weights are the ridge (and FuncFeat) optimum on its active set, and non-negative when asked. */
    @Test
    void weightsSolveTheRegularisedNormalEquations() {
        for (long seed = 0; seed < 300; seed++) {
            Random rnd = new Random(seed);
            int n = 1 + rnd.nextInt(12);
            List<Candidate> cs = new ArrayList<>();
            for (Candidate c : gaussian(rnd, n)) {
                cs.add(new Candidate(c.sampleId(), c.features(), rnd.nextDouble()));
            }
            double[] y = gaussianTarget(rnd);
            OmpOptions o = OmpOptions.gradMatch(1 + rnd.nextInt(3)).withFuncFeat();
            OmpPath path = OrthogonalMatchingPursuit.solve(y, cs, o);
            for (int t = 1; t <= path.steps().size(); t++) {
                int[] active = indices(path.activeAfter(t));
                double[] w = path.weightsAfter(t);
                double[] expected = ridgeSolve(cs, active, y, o);
                for (int i = 0; i < w.length; i++) {
                    assertThat(w[i]).isCloseTo(expected[i], within(1e-9)).isGreaterThanOrEqualTo(0);
                }
            }
        }
    }

    private static double[] ridgeSolve(List<Candidate> cs, int[] s, double[] y, OmpOptions o) {
        DMatrixRMaj g = new DMatrixRMaj(s.length, s.length);
        DMatrixRMaj b = new DMatrixRMaj(s.length, 1);
        for (int i = 0; i < s.length; i++) {
            float[] ai = OmpScoring.atom(cs.get(s[i]), o);
            b.set(i, 0, Vectors.dot(ai, y));
            for (int j = 0; j < s.length; j++) {
                g.set(i, j, Vectors.dot(ai, OmpScoring.atom(cs.get(s[j]), o)));
            }
            double d = cs.get(s[i]).penalty();
            g.add(i, i, o.lambda() + o.lambda2() * d * d);
        }
        DMatrixRMaj w = new DMatrixRMaj(s.length, 1);
        CommonOps_DDRM.solve(g, b, w);
        return w.data;
    }

    /** min_w ‖y − A_S·w‖² + λ‖w‖² (w ≥ 0 when {@code nonNegative}: the best feasible unconstrained solution of a support). */
    private static double objective(List<float[]> atoms, int[] s, double[] y, double lambda, boolean nonNegative) {
        if (nonNegative) {
            double best = dot(y, y);
            for (int size = 1; size <= s.length; size++) {
                for (int[] sub : subsets(s.length, size)) {
                    int[] support = new int[size];
                    for (int i = 0; i < size; i++) {
                        support[i] = s[sub[i]];
                    }
                    double[] w = normalSolve(atoms, support, y, lambda);
                    if (java.util.Arrays.stream(w).allMatch(v -> v >= 0)) {
                        best = Math.min(best, value(atoms, support, w, y, lambda));
                    }
                }
            }
            return best;
        }
        return value(atoms, s, normalSolve(atoms, s, y, lambda), y, lambda);
    }

    private static double[] normalSolve(List<float[]> atoms, int[] s, double[] y, double lambda) {
        DMatrixRMaj g = new DMatrixRMaj(s.length, s.length);
        DMatrixRMaj b = new DMatrixRMaj(s.length, 1);
        for (int i = 0; i < s.length; i++) {
            b.set(i, 0, Vectors.dot(atoms.get(s[i]), y));
            for (int j = 0; j < s.length; j++) {
                g.set(i, j, Vectors.dot(atoms.get(s[i]), atoms.get(s[j])) + (i == j ? lambda : 0));
            }
        }
        DMatrixRMaj w = new DMatrixRMaj(s.length, 1);
        CommonOps_DDRM.solve(g, b, w);
        return w.data;
    }

    private static double value(List<float[]> atoms, int[] s, double[] w, double[] y, double lambda) {
        double[] r = y.clone();
        double reg = 0;
        for (int i = 0; i < s.length; i++) {
            Vectors.axpy(-w[i], atoms.get(s[i]), r);
            reg += lambda * w[i] * w[i];
        }
        return dot(r, r) + reg;
    }

    private static double minEigenvalue(List<float[]> atoms, int[] s) {
        DMatrixRMaj g = new DMatrixRMaj(s.length, s.length);
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                g.set(i, j, Vectors.dot(atoms.get(s[i]), atoms.get(s[j])));
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(s.length, false, true);
        assertThat(eig.decompose(g)).isTrue();
        double min = Double.MAX_VALUE;
        for (int i = 0; i < s.length; i++) {
            min = Math.min(min, eig.getEigenvalue(i).getReal());
        }
        return min;
    }

    private static List<int[]> subsets(int n, int k) {
        List<int[]> out = new ArrayList<>();
        collect(new int[k], 0, 0, n, out);
        return out;
    }

    private static void collect(int[] cur, int pos, int from, int n, List<int[]> out) {
        if (pos == cur.length) {
            out.add(cur.clone());
            return;
        }
        for (int i = from; i < n; i++) {
            cur[pos] = i;
            collect(cur, pos + 1, i + 1, n, out);
        }
    }

    private static List<Candidate> gaussian(Random rnd, int n) {
        List<Candidate> cs = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            float[] v = new float[D];
            for (int i = 0; i < D; i++) {
                v[i] = (float) rnd.nextGaussian();
            }
            cs.add(new Candidate(String.format("c%02d", j), v));
        }
        return cs;
    }

    private static double[] gaussianTarget(Random rnd) {
        double[] y = new double[D];
        for (int i = 0; i < D; i++) {
            y[i] = rnd.nextGaussian();
        }
        return y;
    }

    private static int[] indices(List<String> ids) {
        return ids.stream().mapToInt(id -> Integer.parseInt(id.substring(1))).toArray();
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
