package io.mycroft.inference.trainer;

import ai.djl.Device;
import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.MlpTrainer;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.model.Predictions;
import mycroft.schemas.ModelArtifact;

/**
 * The model trainer's measurement of an owner's useful subset (DESIGN §3): fine-tune a copy of the MT model on
 * MT data ∪ D_useful and compare accuracy on the held-out part of D_hard and on the test set, before and after.
 * Seeded through {@link MlpTrainer.Settings}: the same inputs give the same numbers. Both artifact formats are
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
            MlpTrainer.fit(copy, mtData.concat(useful), settings);
            return new Gain(useful.size(), hardBefore, Predictions.accuracy(copy, heldOutHard), testBefore,
                    Predictions.accuracy(copy, test));
        }
    }
}
