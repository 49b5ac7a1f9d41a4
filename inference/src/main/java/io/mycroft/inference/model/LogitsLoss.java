package io.mycroft.inference.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;

/** Softmax cross-entropy on the first output (the logits) of a network that also returns its penultimate features. */
final class LogitsLoss extends Loss {
    private final SoftmaxCrossEntropyLoss crossEntropy = new SoftmaxCrossEntropyLoss();

    LogitsLoss() {
        super("cross-entropy");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return crossEntropy.evaluate(labels, new NDList(predictions.get(0)));
    }
}
