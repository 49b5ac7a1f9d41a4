package io.mycroft.cli;

import io.mycroft.processors.math.AnalyticGaussian;
import mycroft.schemas.HardSetPrivacy;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --privacy-epsilon/-delta/-clip}: share a request's hard set (ε, δ)-differentially private: clipped hard
 * gradients (GRADIENT, FUNCFEAT) and clipped unit hard embeddings (FEATURE, FUNCFEAT) summed per class, with
 * analytic-Gaussian noise. Mix into any command that publishes requests.
 */
public final class PrivacyOptions {
    @Option(names = "--privacy-epsilon", paramLabel = "E",
            description = "Share the hard set (ε, δ)-differentially private: per class noisy sums of clipped hard gradients "
                    + "and/or unit embeddings, analytic-Gaussian noise; no single hard embedding is shared. Default: exact.")
    private Double epsilon;

    @Option(names = "--privacy-delta", paramLabel = "D", defaultValue = "1e-5", description = "δ with --privacy-epsilon (default: ${DEFAULT-VALUE}).")
    private double delta;

    @Option(names = "--privacy-clip", paramLabel = "C", defaultValue = "1.0",
            description = "L2 norm each hard gradient (and unit embedding) is clipped to with --privacy-epsilon (default: ${DEFAULT-VALUE}).")
    private double clip;

    /** The privacy of a request with noise seed {@code seed}, or null without --privacy-epsilon; bad values are a user error. */
    public HardSetPrivacy privacy(CommandSpec spec, long seed) {
        if (epsilon == null) {
            return null;
        }
        if (!(epsilon > 0 && epsilon <= AnalyticGaussian.MAX_EPSILON && delta > 0 && delta < 1 && clip > 0 && Double.isFinite(clip))) {
            throw new ParameterException(spec.commandLine(), "--privacy-epsilon needs 0 < ε ≤ " + AnalyticGaussian.MAX_EPSILON + ", --privacy-delta in (0, 1) "
                    + "and --privacy-clip > 0; were " + epsilon + ", " + delta + ", " + clip);
        }
        return new HardSetPrivacy(epsilon, delta, clip, seed);
    }
}
