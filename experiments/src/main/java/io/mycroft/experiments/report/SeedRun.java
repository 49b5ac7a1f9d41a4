package io.mycroft.experiments.report;

import java.util.List;

/**
 * Everything one seed of a scenario measured; {@link ResultsCalculator} turns a list of these into {@link Results}.
 * Owner score arrays are indexed in the scenario's owner order (higher = better).
 *
 * @param mycroftScores the live owner ranking's scores at the end of the stream
 * @param fullInformationScores the MT's held-out D_hard accuracy after fine-tuning on each owner's whole relevant data
 * @param modelTrainerOnly held-out D_hard and test accuracy of the MT's model before any owner data
 */
public record SeedRun(
    long seed,
    double[] mycroftScores,
    double[] fullInformationScores,
    Accuracy modelTrainerOnly,
    List<Measurement> measurements) {

  public SeedRun {
    measurements = List.copyOf(measurements);
  }

  /** Accuracies in [0, 1]. */
  public record Accuracy(double heldOutHard, double test) {}

  /**
   * One (method, budget) fine-tuning outcome on this seed, for the top-ranked owner's subset.
   *
   * @param method a SelectionMethod name (GRADIENT, FEATURE, FUNCFEAT) or a baseline (RANDOM, K_CENTER,
   *     FULL_INFORMATION)
   * @param budget total budget B; {@link #ALL_DATA} for full information
   * @param sharedFraction samples shared ÷ the owner's samples
   */
  public record Measurement(String method, int budget, Accuracy accuracy, double sharedFraction) {
    public static final int ALL_DATA = 0;
  }
}
