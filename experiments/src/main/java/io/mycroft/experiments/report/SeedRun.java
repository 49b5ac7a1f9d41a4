package io.mycroft.experiments.report;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
  * Everything one seed of a scenario measured; {@link ResultsCalculator} turns a list of these into {@link Results}.
  * Owner score arrays are indexed in the scenario's owner order (higher = better).
  *
  * @param mycroftScores the live owner ranking's scores at the end of the stream
  * @param fullInformationScores the MT's held-out D_hard accuracy after fine-tuning on each owner's whole relevant data
  *     (the MT alone's for an owner without such data)
  * @param hasRequestedClasses per owner: it holds samples (by their given labels) of the requested (weak) classes
  * @param heldOutHardSize samples in this seed's held-out D_hard (what every accuracy is measured on)
  * @param modelTrainerOnly held-out D_hard and test accuracy of the MT's model before any owner data
  * @param measurements the top-ranked owner's subsets over every budget (accuracy vs budget)
  * @param selections every (owner with requested-class data, method or baseline) at the headline budget
  * @param pipeline how the seed went through the streaming pipeline; null when it did not
  * @param ownerScores other owner scores to judge like {@code mycroftScores}, by name, each indexed in owner order: every
  *     method's final score at the primary budget, and "GGDA", the primary request's group attribution
  *     ({@code GroupAttribution}, computed in batch on the published vectors, not live); empty when not measured
  */
public record SeedRun(
        long seed,
        double[] mycroftScores,
        double[] fullInformationScores,
        boolean[] hasRequestedClasses,
        int heldOutHardSize,
        Accuracy modelTrainerOnly,
        List<Measurement> measurements,
        List<Selection> selections,
        Pipeline pipeline,
        Map<String, double[]> ownerScores) {

    public SeedRun {
        ownerScores = ownerScores == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(ownerScores));
        measurements = List.copyOf(measurements);
        selections = List.copyOf(selections);
    }

    /** Full information's gain per owner: its held-out D_hard accuracy minus the MT alone's. */
    public double[] fullInformationGains() {
        double[] gains = new double[fullInformationScores.length];
        for (int i = 0; i < gains.length; i++) {
            gains[i] = fullInformationScores[i] - modelTrainerOnly.heldOutHard();
        }
        return gains;
    }

    /**
      * The seed's run through Kafka: its requests (one per method and budget) over its owners' streamed samples, the
      * batch selection re-run on exactly the published vectors and compared with the streamed subsets, and the audit
      * replay of one request.
      *
      * @param subsetsCompared (request, owner) pairs compared; {@code subsetsIdentical} of them equal bit for bit
      *     (ids, order, weights, residuals, coverage and score)
      * @param differences the pairs that differ, with what differs (empty when all are identical)
      * @param auditIdentical the audit replay of {@code auditedRequest} reproduced its published subsets and ranking
      * @param streamSeconds from the first owner file written until every sample was through the Streams app
      * @param privacy the differential privacy of {@code auditedRequest}'s hard set as the worker applied it, or null
      *     for an exact request
      */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Pipeline(int requests, int owners, long samplesStreamed, long vectorsComputed, int subsetsCompared,
                                                  int subsetsIdentical, List<String> differences, String auditedRequest, boolean auditIdentical,
                                                  double streamSeconds, Privacy privacy) {
        public Pipeline {
            differences = List.copyOf(differences);
        }
    }

    /**
     * A private request's accounting, copied from its published {@code HardSetVectors.privacy}.
     *
     * @param gradientNoiseStd σ on every coordinate of every target gradient y_c (0 when none is shared: FEATURE)
     * @param embeddingNoiseStd σ on every coordinate of every embedding sum s_c, null when none is shared (GRADIENT)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Privacy(double epsilon, double delta, double clipNorm, double gradientSensitivity, double gradientNoiseStd,
                          Double embeddingSensitivity, Double embeddingNoiseStd, String accountant) {
    }

    /** Accuracies in [0, 1]. */
    public record Accuracy(double heldOutHard, double test) {}

    /**
      * One (method, budget) fine-tuning outcome on this seed, for the top-ranked owner's subset.
      *
      * @param method a SelectionMethod name (GRADIENT, FEATURE, FUNCFEAT) or a baseline (RANDOM, K_CENTER,
      *     FULL_INFORMATION)
      * @param budget total budget B; {@link #ALL_DATA} for full information
      * @param shared samples actually shared
      * @param sharedFraction samples shared ÷ the owner's samples
      */
    public record Measurement(String method, int budget, Accuracy accuracy, int shared, double sharedFraction) {
        public static final int ALL_DATA = 0;
    }

    /**
      * One owner's subset by one method (or baseline) at one budget B, fine-tuned on: at most B samples, {@code shared}
      * of them actually shared; {@code labelPurity} is the fraction of them whose given label is their true class (null
      * when nothing was shared). A RANDOM row with {@code matchedTo} = a method draws that method's actual per-class
      * counts (it shared fewer than B); without it, random fills the budget. {@code copies}: how many of the shared
      * samples are copies the owner did not hold fresh (rescaled copies of its own, copies of another owner's;
      * {@code pipeline.OwnerTruth#copies}).
      */
    public record Selection(String owner, String method, int budget, int shared, double heldOutHard, Double labelPurity,
                            String matchedTo, int copies) {
    }
}
