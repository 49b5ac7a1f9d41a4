package io.mycroft.inference.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.mycroft.inference.DjlRuntime;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import java.util.Random;

/**
 * Minibatch training of a {@link Network} (a DJL MLP or CNN, or a TorchScript module) with Adam on softmax
 * cross-entropy; the name is from when it trained MLPs only. Seeded: the parameter initialisation (engine
 * generator) and the batch order (a Fisher–Yates shuffle per epoch) both come from {@link Settings#seed()}, so the same
 * data and settings give the same parameters on a single-threaded CPU engine.
 */
public final class MlpTrainer {
    /** Training settings; {@link #defaults(long)} are those of the Fashion-MNIST MLP. */
    public record Settings(int epochs, int batchSize, float learningRate, long seed) {
        public static Settings defaults(long seed) {
            return new Settings(3, 64, 1e-3f, seed);
        }
    }

    private MlpTrainer() {
    }

    /** A new network for {@code spec} (an MLP or the small CNN), trained on {@code data}. */
    public static Network train(String name, Architecture spec, Dataset data, Settings settings) {
        seed(settings.seed());
        Network network = ModelArtifacts.newNetwork(name, spec, Device.cpu());
        fit(network, data, settings);
        return network;
    }

    /**
     * Continues training {@code network} on {@code data}, all of its parameters: the fine-tuning of an evaluation. Works
     * for DJL blocks and TorchScript modules alike ({@code Model.newTrainer} unfreezes a loaded module's parameters).
     */
    public static void fit(Network network, Dataset data, Settings settings) {
        seed(settings.seed());
        DefaultTrainingConfig config = new DefaultTrainingConfig(new LogitsLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(settings.learningRate())).build())
                .optDevices(new Device[]{network.model().getNDManager().getDevice()});
        Random order = new Random(settings.seed());
        int[] index = new int[data.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = i;
        }
        // Loaded parameters (a fine-tuned copy) come without gradients attached; fresh ones have them.
        network.model().getBlock().getParameters().values().stream()
                .filter(p -> p.requiresGradient() && !p.getArray().hasGradient())
                .forEach(p -> p.getArray().setRequiresGradient(true));
        try (Trainer trainer = network.model().newTrainer(config)) {
            for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                shuffle(index, order);
                for (int from = 0; from < index.length; from += settings.batchSize()) {
                    int to = Math.min(index.length, from + settings.batchSize());
                    step(trainer, network, data, index, from, to);
                }
            }
        }
    }

    private static void step(Trainer trainer, Network network, Dataset data, int[] index, int from, int to) {
        int n = to - from;
        int d = network.inputs();
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(data.features()[index[from + i]], 0, x, i * d, d);
            y[i] = data.labels()[index[from + i]];
        }
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDArray features = scope.create(x, new Shape(n, d));
            NDArray labels = scope.create(y, new Shape(n));
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(new NDList(features));
                collector.backward(trainer.getLoss().evaluate(new NDList(labels), predictions));
            }
            trainer.step();
        }
    }

    private static void shuffle(int[] index, Random random) {
        for (int i = index.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = index[i];
            index[i] = index[j];
            index[j] = t;
        }
    }

    private static void seed(long seed) {
        DjlRuntime.start();
        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
    }
}
