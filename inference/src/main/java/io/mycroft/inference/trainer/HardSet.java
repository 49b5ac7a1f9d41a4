package io.mycroft.inference.trainer;

import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.model.Predictions;
import io.mycroft.inference.vectors.LastLayerGradient;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * D_hard (DESIGN §3, protocol): the validation samples of the model's weak classes that it gets wrong or is least
 * sure of. Per weak class the {@code perClass} hardest samples — misclassified first, then by ascending probability of
 * the true class, ties by index — of which the first {@code shared} go to the data owners and the rest are held out
 * to evaluate with. Indices refer to the validation set.
 */
public record HardSet(List<Integer> weakClasses, int[] shared, int[] heldOut) {

    /** Selects D_hard from {@code validation}: the {@code weakClasses} classes of lowest validation accuracy. */
    public static HardSet select(Network network, Dataset validation, int weakClasses, int perClass, int shared) {
        if (weakClasses < 1 || perClass < 1 || shared < 1 || shared > perClass) {
            throw new IllegalArgumentException("need weakClasses ≥ 1 and 1 ≤ shared ≤ perClass; got weakClasses=" + weakClasses
                    + " perClass=" + perClass + " shared=" + shared);
        }
        float[][] z = Predictions.logits(network, validation);
        int classes = network.classes();
        int[] total = new int[classes];
        int[] correct = new int[classes];
        for (int i = 0; i < z.length; i++) {
            int y = validation.labels()[i];
            total[y]++;
            if (Predictions.argmax(z[i]) == y) {
                correct[y]++;
            }
        }
        List<Integer> weak = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            if (total[c] > 0) {
                weak.add(c);
            }
        }
        weak.sort(Comparator.comparingDouble((Integer c) -> (double) correct[c] / total[c]).thenComparing(c -> c));
        weak = List.copyOf(weak.subList(0, Math.min(weakClasses, weak.size())));
        List<Integer> sharedIdx = new ArrayList<>();
        List<Integer> heldOutIdx = new ArrayList<>();
        for (int c : weak) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < z.length; i++) {
                if (validation.labels()[i] == c) {
                    members.add(i);
                }
            }
            // Hardest first: wrong before right, then lowest p(y|x) = exp(−loss).
            members.sort(Comparator.comparing((Integer i) -> Predictions.argmax(z[i]) == c)
                    .thenComparingDouble(i -> -LastLayerGradient.loss(z[i], c)).thenComparing(i -> i));
            List<Integer> hard = members.subList(0, Math.min(perClass, members.size()));
            sharedIdx.addAll(hard.subList(0, Math.min(shared, hard.size())));
            heldOutIdx.addAll(hard.subList(Math.min(shared, hard.size()), hard.size()));
        }
        return new HardSet(weak, sharedIdx.stream().mapToInt(Integer::intValue).toArray(),
                heldOutIdx.stream().mapToInt(Integer::intValue).toArray());
    }
}
