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
        List<Baseline> baselines) {

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
      * one). {@code model} is the MT model's architecture: {@link #MLP} (any data set) or {@link #CNN} (images).
      */
    public record ModelTrainerData(
            List<String> weakClasses, int trainPerClass, int weakTrainPerClass, int validationPerClass, int testPerClass,
            String model) {
        public static final String MLP = "mlp";
        public static final String CNN = "cnn";

        public ModelTrainerData {
            weakClasses = List.copyOf(weakClasses);
        }
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
      * @param arrivalRate samples per second when the owner's data streams in
      * @param domainShift feature shift in units of the feature's standard deviation (tabular) or of the full pixel range
      *     (images, a brightness offset); 0 for none
      * @param duplicateOf empty, or a fraction of this owner's samples copied exactly from an earlier owner
      */
    public record Owner(
            String id,
            int size,
            Map<String, Double> classMix,
            double labelNoise,
            Corruption corruption,
            double arrivalRate,
            double domainShift,
            Optional<Duplicate> duplicateOf) {
        public Owner {
            classMix = Map.copyOf(classMix);
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

    /** {@code round(fraction · size)} of this owner's samples are exact copies of samples of {@code owner}. */
    public record Duplicate(String owner, double fraction) {}

    /** Budget per weak class c = kPerHard · |D_hard_c|; {@code total} is that summed over the weak classes. */
    public record Budget(int kPerHard, int total) {}

    /** What Mycroft's subsets are compared with. */
    public enum Baseline { RANDOM, K_CENTER, FULL_INFORMATION }
}
