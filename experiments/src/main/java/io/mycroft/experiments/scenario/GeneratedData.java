package io.mycroft.experiments.scenario;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
  * What {@link OwnerDataGenerator} wrote for one (scenario, seed), also saved as {@code manifest.json}. Counts are per
  * class name in the data set's class order; JSON keys are snake_case like results.json's.
  */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GeneratedData(
        String scenario, long seed, String dataset, ModelTrainerSplit modelTrainer, List<OwnerFiles> owners) {

    /**
      * The MT's own data. {@code cappedClasses}: classes too small for the requested counts, whose train/validation/test
      * were scaled down to what the class has (no owner gets any of them).
      */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ModelTrainerSplit(
            String directory,
            Map<String, Integer> train,
            Map<String, Integer> validation,
            Map<String, Integer> test,
            List<String> weakClasses,
            List<String> cappedClasses) {}

    /**
      * One owner's data directory (what its directory connector reads) and the truth about it (in
      * {@code truth/<id>.csv}, outside the owner's directory).
      *
      * @param startAfter seconds after the owners' start when its data starts streaming
      * @param trueClassCounts per class by the sample's real class; labels on disk differ for flipped samples
      * @param labelsFlipped fresh samples whose label was changed to another class
      * @param corrupted fresh samples whose features were corrupted
      * @param exactCopies exact copies of the owner's own fresh samples
      * @param rescaledCopies rescaled copies of the owner's own fresh samples
      * @param overlap samples copied exactly from {@code overlapWith}, an earlier owner ("" for none)
      */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OwnerFiles(
            String id,
            String directory,
            List<String> files,
            int size,
            double arrivalRate,
            double startAfter,
            Map<String, Integer> trueClassCounts,
            int labelsFlipped,
            int corrupted,
            int exactCopies,
            int rescaledCopies,
            int overlap,
            String overlapWith) {}
}
