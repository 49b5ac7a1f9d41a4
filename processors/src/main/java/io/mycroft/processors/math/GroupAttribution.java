package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * GGDA group attribution of one owner to a request's hard set ("Generalized Group Data Attribution", in
 * {@code ../shared/seeds}): the first-order (TracIn, one checkpoint) influence of training on the owner's samples as one
 * group on the hard set's loss, with the project's norm cap. Per class c of the request, with y_c the class's hard-set
 * target and S_c the owner's candidates of class c with near-copies counted once ({@link NearCopies#kept}):
 * <pre>  φ = Σ_c Σ_{i ∈ S_c} ⟨a_i, y_c⟩ / (‖a_i‖·‖y_c‖)</pre>
 * One gradient step on the group changes the hard-set loss by −η·⟨Σ_i g_i, Σ_h g_h⟩ to first order. Unit atoms make each
 * sample's share its cosine in [−1, 1]: a scaled-up gradient gains nothing, a flipped label (a gradient pointing away)
 * subtracts, and φ grows with the number of aligned samples, as the gain of buying all of them does. One dot product per
 * sample, against the paper's per-sample attribution's O(B) per sample. The terms are summed in sampleId order, so φ
 * depends on the set of candidates only, not on their arrival order.
 */
public final class GroupAttribution {
    private GroupAttribution() {
    }

    /**
     * @param targets    class → y_c (a class with ‖y_c‖ = 0 adds nothing)
     * @param candidates class → the owner's valid candidates of that class, distinct sampleIds; classes without a
     *                   target are ignored, zero vectors add nothing
     */
    public static double score(Map<Integer, double[]> targets, Map<Integer, ? extends Collection<Candidate>> candidates) {
        double phi = 0;
        for (Map.Entry<Integer, double[]> e : new TreeMap<>(targets).entrySet()) {
            double[] y = e.getValue();
            double yNorm = Vectors.norm(y);
            Collection<Candidate> ofClass = candidates.get(e.getKey());
            if (yNorm == 0 || ofClass == null) {
                continue;
            }
            List<Candidate> nonZero = new ArrayList<>();
            for (Candidate c : ofClass) {
                if (c.norm() > 0) {
                    nonZero.add(c);
                }
            }
            nonZero.sort(Comparator.comparing(Candidate::sampleId));
            for (Candidate c : NearCopies.kept(nonZero)) {
                phi += DotKernel.dot(c.features(), y) / (c.norm() * yNorm);
            }
        }
        return phi;
    }
}
