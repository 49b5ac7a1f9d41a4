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
                    HardSet hardSet, List<Owner> owners, List<Budget> budgets, List<String> methods,
                    List<String> baselines) {

    record ModelTrainer(List<String> weakClasses, Number trainPerClass, Number weakTrainPerClass,
                        Number validationPerClass, Number testPerClass, String model) {
    }

    record HardSet(Number sharedPerClass) {
    }

    record Owner(String id, Number size, LinkedHashMap<String, Double> classMix, Double labelNoise,
                 Corruption corruption, Double arrivalRate, Double domainShift, Duplicate duplicateOf) {
    }

    record Corruption(String kind, Double fraction, Double severity) {
    }

    record Duplicate(String owner, Double fraction) {
    }

    record Budget(Number kPerHard, Number total) {
    }
}
