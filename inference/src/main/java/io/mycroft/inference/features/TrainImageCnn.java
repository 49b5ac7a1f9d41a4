package io.mycroft.inference.features;

import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.MlpTrainer;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.model.Predictions;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trains the IMAGE_CNN extractor on the shipped Fashion-MNIST subset ({@code data/fashion-mnist}, 6,000 train images)
 * with seeded Adam ({@link MlpTrainer#fit}) and writes its parameters. Run by {@code inference/scripts/train-image-cnn.sh}.
 * Arguments: data directory, output file, [epochs], [seed].
 */
public final class TrainImageCnn {
    private TrainImageCnn() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 20260101L;
        Dataset train = Dataset.idx(data, "train");
        Dataset test = Dataset.idx(data, "test");
        long start = System.nanoTime();
        MlpTrainer.Settings settings = new MlpTrainer.Settings(epochs, 64, 1e-3f, seed);
        io.mycroft.inference.DjlRuntime.start().setRandomSeed((int) seed);
        try (Network network = ImageCnn.newNetwork()) {
            MlpTrainer.fit(network, train, settings);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("trained %d epochs on %d images in %.1f s; test accuracy %.4f on %d images%n", epochs,
                    train.size(), seconds, Predictions.accuracy(network, test), test.size());
            Files.createDirectories(out.toAbsolutePath().getParent());
            try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out))) {
                ImageCnn.save(network, o);
            }
            System.out.println("wrote " + out + " (" + Files.size(out) + " bytes)");
        }
    }
}
