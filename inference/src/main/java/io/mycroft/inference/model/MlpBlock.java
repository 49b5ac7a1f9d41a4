package io.mycroft.inference.model;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/**
 * The DJL block of an {@link MlpSpec}: a trunk of linear + ReLU layers giving the penultimate features h, and a linear
 * head giving the logits z = W·h + b. Forward returns (z, h), the same contract as a TorchScript model.
 */
public final class MlpBlock extends TrunkAndHeadBlock {

    public MlpBlock(MlpSpec spec) {
        super(trunk(spec), spec.classes());
    }

    private static SequentialBlock trunk(MlpSpec spec) {
        SequentialBlock layers = new SequentialBlock();
        for (int units : spec.hidden()) {
            layers.add(Linear.builder().setUnits(units).build()).add(Activation.reluBlock());
        }
        return layers;
    }
}
