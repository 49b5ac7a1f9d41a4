package io.mycroft.experiments.scenario;

import io.mycroft.experiments.data.DatasetId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mycroft.schemas.SelectionMethod;

/**
  * One experiment: a data set, the model trainer's (MT's) own data, the shared hard set, the data owners and what to
  * compare on which seeds. Built and validated by {@link ScenarioParser}; every instance obeys the constraints the
  * parser checks.
  *
  * @param name short identifier, also the report directory name ({@code reports/<name>/})
  * @param budgets one entry per budget to run; total = kPerHard · weakClasses · sharedPerClass
  * @param labelConsistencyNeighbours null, or k: every method also runs as {@code <METHOD>+LC}, the same request with
  *                                   {@code SelectionOptions.labelConsistencyNeighbours = k}
  */
public record Scenario(
        String name,
        String description,
        DatasetId dataset,
        List<Long> seeds,
        ModelTrainerData modelTrainer,
        HardSet hardSet,
        List<Owner> owners,
        List<Budget> budgets,
        List<SelectionMethod> methods,
        List<Baseline> baselines,
        Integer labelConsistencyNeighbours) {
    /** The suffix of a method's label-consistency variant in requests and results. */
    public static final String LABEL_CONSISTENCY = "+LC";

    public Scenario {
        seeds = List.copyOf(seeds);
        owners = List.copyOf(owners);
        budgets = List.copyOf(budgets);
        methods = List.copyOf(methods);
        baselines = List.copyOf(baselines);
    }

    /**
      * The MT's data per class. Weak classes get {@code weakTrainPerClass} training samples, the others
      * {@code trainPerClass}; every class gets {@code validationPerClass} validation samples (the weak classes' wrong
      * ones are the D_hard candidates) and {@code testPerClass} test samples (from the data set's test split when it has
      * one). {@code model} is the MT model's architecture: {@link #MLP} (any data set) or {@link #CNN} (images), trained
      * as {@code training} says; D_hard is what that model gets wrong.
      */
    public record ModelTrainerData(
            List<String> weakClasses, int trainPerClass, int weakTrainPerClass, int validationPerClass, int testPerClass,
            String model, Training training) {
        public static final String MLP = "mlp";
        public static final String CNN = "cnn";

        public ModelTrainerData {
            weakClasses = List.copyOf(weakClasses);
        }
    }

    /** How the MT trains its model on its own data (Adam, mini-batches); the default is 3 epochs, rate 1e-3, batch 64. */
    public record Training(int epochs, double learningRate, int batchSize) {
        public static final Training DEFAULT = new Training(3, 1e-3, 64);
    }

    /** D_hard: {@code sharedPerClass} wrong validation samples per weak class are shared; the rest are held out. */
    public record HardSet(int sharedPerClass) {
        public static final int DEFAULT_SHARED_PER_CLASS = 4;
    }

    /**
      * A data owner.
      *
      * @param classMix class name → weight, normalised to sum 1 (classes not named get none)
      * @param labelNoise fraction of the owner's fresh samples whose label is flipped to another class, before selection
      * @param labelFlips empty: a flipped label goes to a uniformly chosen other class. Else true class → the class its
      *     flipped labels go to (class-conditional "pair" noise, an annotator confusing two classes); only samples of
      *     the named classes are flipped, labelNoise of them
      * @param arrivalRate samples per second when the owner's data streams in
      * @param startAfter seconds after the owners' start when this owner's data starts streaming (0: at once)
      * @param domainShift feature shift in units of the feature's standard deviation (tabular) or of the full pixel range
      *     (images, a brightness offset); 0 for none
      * @param duplicates copies of the owner's own fresh samples, exact and rescaled
      * @param overlap empty, or a fraction of this owner's samples that are also an earlier owner's (exact copies)
      */
    public record Owner(
            String id,
            int size,
            Map<String, Double> classMix,
            double labelNoise,
            Map<String, String> labelFlips,
            Corruption corruption,
            double arrivalRate,
            double startAfter,
            double domainShift,
            Duplicates duplicates,
            Optional<Overlap> overlap) {
        public Owner {
            classMix = Map.copyOf(classMix);
            labelFlips = Map.copyOf(labelFlips);
        }
    }

    /**
      * Feature corruption of a fraction of an owner's fresh samples, applied before selection (DESIGN §3, honest
      * experiments). GAUSSIAN_NOISE adds N(0, (severity·scale)²) per feature, scale = 255 for pixels or the feature's
      * standard deviation; OCCLUSION (images only) blacks out a square of side severity·28 at a random place.
      */
    public record Corruption(Kind kind, double fraction, double severity) {
        public enum Kind { NONE, GAUSSIAN_NOISE, OCCLUSION }

        public static final Corruption NONE = new Corruption(Kind.NONE, 0, 0);
    }

    /**
      * Copies of an owner's own fresh samples, each a fraction of its size: {@code round(exact · size)} exact copies and
      * {@code round(rescaled · size)} copies whose features are multiplied by a factor drawn uniformly from
      * [{@link #RESCALE_MIN}, {@link #RESCALE_MAX}] (images: rounded and clipped to pixels 0–255). Each kind copies
      * distinct fresh samples, so neither may exceed the fresh ones.
      */
    public record Duplicates(double exact, double rescaled) {
        public static final Duplicates NONE = new Duplicates(0, 0);
        public static final double RESCALE_MIN = 0.8;
        public static final double RESCALE_MAX = 1.2;
    }

    /**
      * Samples shared across owners: {@code round(fraction · size)} of this owner's samples are exact copies of
      * distinct samples of the earlier owner {@code owner} (as that owner holds them: flipped labels and corruption
      * included).
      */
    public record Overlap(String owner, double fraction) {}

    /** Budget per weak class c = kPerHard · |D_hard_c|; {@code total} is that summed over the weak classes. */
    public record Budget(int kPerHard, int total) {}

    /**
      * What Mycroft's subsets are compared with. ORACLE_CLEAN_RANDOM is random among the samples whose given label is
      * the true class, which only the generator knows: the most any label filter followed by random sampling can reach.
      * ORACLE_CLEAN_FEATURE is FEATURE's selection (RetrieveTopK in batch, the request's k and B_c) among those samples:
      * the most any label filter followed by FEATURE can reach. ORACLE_CLEAN_GRADIENT is the GRADIENT request's
      * selection (its batch form, on the gradients the worker published) among those samples: the most any label filter
      * followed by GRADIENT can reach; it needs a GRADIENT request. UNCERTAIN_FEATURE is no oracle: FEATURE's selection
      * among the samples whose given label the model trainer's network finds plausible but not yet learnt (0.05 ≤ p(y|x)
      * ≤ 0.5), an uncertainty filter in front of FEATURE measured before it is built into the pipeline. DIVERSE_FEATURE
      * is no oracle either: facility location over FEATURE's selection widened 3 times ({@code FacilityLocation}), the
      * diversity the paper leaves open, measured before it is built into the pipeline; DIVERSE_FEATURE_THIRD keeps that
      * pool to at most a third of the class (FEATURE's own choice where that leaves no room). None of them is in the
      * default set.
      */
    public enum Baseline {
        RANDOM, K_CENTER, FULL_INFORMATION, ORACLE_CLEAN_RANDOM, ORACLE_CLEAN_FEATURE, ORACLE_CLEAN_GRADIENT, UNCERTAIN_FEATURE,
        DIVERSE_FEATURE, DIVERSE_FEATURE_THIRD;

        /** The baselines a scenario without {@code baselines} runs. */
        public static final List<Baseline> DEFAULT = List.of(RANDOM, K_CENTER, FULL_INFORMATION);
    }
}
