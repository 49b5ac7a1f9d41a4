package io.mycroft.experiments.scenario;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * A scenario file as written, bound by Jackson: every field optional and unchecked (null when absent; integers as
 * {@link Number} so that 2.5 reaches the checks instead of failing the binding).
 * {@link ScenarioParser} checks it into a {@link Scenario}; the components' names are the file's keys, in the order
 * the "allowed here" messages list them.
 */
record ScenarioFile(String name, String description, String dataset, List<Number> seeds, ModelTrainer modelTrainer,
                    HardSet hardSet, List<Owner> owners, RandomOwners randomOwners, List<Budget> budgets,
                    List<String> methods, List<String> baselines, Number labelConsistencyNeighbours) {

    record ModelTrainer(List<String> weakClasses, Number trainPerClass, Number weakTrainPerClass,
                        Number validationPerClass, Number testPerClass, String model, Training training) {
    }

    record Training(Number epochs, Double learningRate, Number batchSize) {
    }

    record HardSet(Number sharedPerClass) {
    }

    record Owner(String id, Number size, LinkedHashMap<String, Double> classMix, Double labelNoise,
                 LinkedHashMap<String, String> labelFlips, Corruption corruption, Double arrivalRate, Double startAfter,
                 Double domainShift, Duplicates duplicates, Overlap overlap) {
    }

    record Corruption(String kind, Double fraction, Double severity) {
    }

    record Duplicates(Double exact, Double rescaled) {
    }

    record Overlap(String owner, Double fraction) {
    }

    record RandomOwners(Number count, Number seed, List<Number> size, List<Double> weakFraction, Double arrivalRate,
                        Chance labelNoise, Chance featureNoise, Chance exactDuplicates, Chance rescaledDuplicates,
                        Chance overlap) {
    }

    /** With {@code probability} an owner gets the property, at a value drawn uniformly from {@code range}. */
    record Chance(Double probability, List<Double> range) {
    }

    record Budget(Number kPerHard, Number total) {
    }
}
