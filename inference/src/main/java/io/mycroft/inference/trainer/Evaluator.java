package io.mycroft.inference.trainer;

import ai.djl.Device;
import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.MlpTrainer;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.model.Predictions;
import mycroft.schemas.ModelArtifact;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The model trainer's measurement of an owner's useful subset (DESIGN §3): fine-tune a copy of the MT model on
 * MT data ∪ D_useful and compare accuracy on the held-out part of D_hard and on the test set, before and after.
 * Seeded through {@link MlpTrainer.Settings}, and D_useful is put in a canonical order first, so the numbers are a
 * function of the subset as a set: the order its samples arrived in (stream order) does not change them. Both artifact formats are
 * fine-tuned whole, every parameter: a DJL network, and a TorchScript module whose parameters DJL's PyTorch engine
 * trains like its own (loaded from bytes they are ordinary autograd tensors, frozen until the trainer unfreezes them).
 */
public final class Evaluator {
    /** Accuracies before and after fine-tuning. */
    public record Gain(int subsetSize, double hardBefore, double hardAfter, double testBefore, double testAfter) {
    }

    private Evaluator() {
    }

    public static Gain evaluate(ModelArtifact model, Dataset mtData, Dataset useful, Dataset heldOutHard, Dataset test,
                                MlpTrainer.Settings settings) {
        try (Network copy = ModelArtifacts.load(model, Device.cpu())) {
            double hardBefore = Predictions.accuracy(copy, heldOutHard);
            double testBefore = Predictions.accuracy(copy, test);
            MlpTrainer.fit(copy, mtData.concat(canonicalOrder(useful)), settings);
            return new Gain(useful.size(), hardBefore, Predictions.accuracy(copy, heldOutHard), testBefore,
                    Predictions.accuracy(copy, test));
        }
    }

    /**
     * {@code data} sorted by features, then label: the seeded shuffle permutes positions, so without this the batches
     * (and the fine-tuned model) depended on the order the subset was collected in. Equal rows are interchangeable.
     */
    static Dataset canonicalOrder(Dataset data) {
        Comparator<Integer> byContent = Comparator.<Integer, float[]>comparing(i -> data.features()[i], Arrays::compare)
                .thenComparingInt(i -> data.labels()[i]);
        return data.select(IntStream.range(0, data.size()).boxed().sorted(byContent).mapToInt(Integer::intValue).toArray());
    }
}
