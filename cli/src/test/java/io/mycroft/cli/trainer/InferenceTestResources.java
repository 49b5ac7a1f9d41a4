package io.mycroft.cli.trainer;

import java.nio.file.Path;

/**
 * The data and model the inference module ships for its tests (see inference/README.md), read where they are: its own
 * tests use them too. Maven runs tests in the module directory.
 */
final class InferenceTestResources {
    private static final Path DIR = Path.of("..", "inference", "src", "test", "resources");

    private InferenceTestResources() {
    }

    /** 1,200 + 600 Fashion-MNIST images in IDX files. */
    static Path fashionMnistSubset() {
        return DIR.resolve("fashion-mnist-subset");
    }

    /** A scripted 784-32-16-10 MLP returning (logits, h). */
    static Path torchScriptMlp() {
        return DIR.resolve("torchscript").resolve("mlp.pt");
    }
}
