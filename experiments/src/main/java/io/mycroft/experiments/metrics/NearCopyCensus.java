package io.mycroft.experiments.metrics;

import io.mycroft.processors.math.UnitVectors;
import io.mycroft.processors.math.Vectors;
import mycroft.schemas.FloatVector;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * How close an owner's published vectors come to each other: for every sample, the largest cosine to another sample of
 * the same class (distinct sample ids, re-sends once), counted against the thresholds a near-copy rule could use. It is
 * the measurement behind the near-copy threshold (reports/strategic.md): a threshold should catch the copies and none
 * of an honest owner's distinct samples.
 */
public final class NearCopyCensus {
    /** The thresholds counted, highest first: the rule's 1 − 1e-6, then looser ones. */
    public static final double[] THRESHOLDS = {1 - 1e-6, 1 - 1e-5, 1 - 1e-4, 1 - 1e-3, 1 - 1e-2};

    /**
     * @param samples       distinct samples counted
     * @param atLeast       per {@link #THRESHOLDS} entry, how many samples have a nearest cosine at or above it
     * @param largestCosine the largest nearest cosine (NaN for fewer than two samples in every class)
     */
    public record Census(int samples, int[] atLeast, double largestCosine) {
        /** One line: "n samples, nearest cosine ≥ 1−1e-6: a, ≥ …; largest c". */
        public String describe() {
            StringBuilder out = new StringBuilder(samples + " samples, nearest cosine");
            for (int t = 0; t < THRESHOLDS.length; t++) {
                out.append(String.format(Locale.ROOT, "%s >= 1-%.0e: %d", t == 0 ? "" : ",", 1 - THRESHOLDS[t], atLeast[t]));
            }
            return out.append(String.format(Locale.ROOT, "; largest %.7f", largestCosine)).toString();
        }
    }

    private NearCopyCensus() {
    }

    /** The census of the embeddings of {@code batches} (one owner's, as published). */
    public static Census ofEmbeddings(List<SampleVectors> batches) {
        return of(batches, SampleVector::getEmbedding);
    }

    /** The census of the gradients of {@code batches}. */
    public static Census ofGradients(List<SampleVectors> batches) {
        return of(batches, SampleVector::getGradient);
    }

    private static Census of(List<SampleVectors> batches, Function<SampleVector, FloatVector> vectorOf) {
        Map<String, SampleVector> byId = new LinkedHashMap<>();
        batches.forEach(b -> b.getSamples().forEach(s -> byId.putIfAbsent(s.getSampleId(), s)));
        Map<Integer, List<double[]>> unitsByClass = new HashMap<>();
        for (SampleVector s : byId.values()) {
            FloatVector v = vectorOf.apply(s);
            if (v != null) {
                double[] u = UnitVectors.unit(Vectors.fromBytes(v.getValues(), v.getDim()), v.getDim(), "sample", s.getSampleId());
                unitsByClass.computeIfAbsent(s.getLabel(), l -> new ArrayList<>()).add(u);
            }
        }
        int[] atLeast = new int[THRESHOLDS.length];
        int samples = 0;
        double largest = Double.NaN;
        for (List<double[]> units : unitsByClass.values()) {
            for (int i = 0; i < units.size(); i++) {
                double nearest = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < units.size(); j++) {
                    if (j != i) {
                        nearest = Math.max(nearest, UnitVectors.dot(units.get(i), units.get(j)));
                    }
                }
                samples++;
                if (units.size() > 1) {
                    largest = Double.isNaN(largest) ? nearest : Math.max(largest, nearest);
                    for (int t = 0; t < THRESHOLDS.length; t++) {
                        atLeast[t] += nearest >= THRESHOLDS[t] ? 1 : 0;
                    }
                }
            }
        }
        return new Census(samples, atLeast, largest);
    }
}
