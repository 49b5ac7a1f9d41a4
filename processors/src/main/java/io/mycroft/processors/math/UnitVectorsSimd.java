package io.mycroft.processors.math;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link UnitVectors#divide} with the JDK Vector API, eight lanes at a time where the CPU has 512-bit vectors, else
 * four. Each lane widens one float32 to double and divides it by the norm: both are exact IEEE operations, as in the
 * scalar loop, so the quotients are the same bits on every machine. Loaded only when {@code jdk.incubator.vector} is
 * present ({@link DotKernel#SIMD}). The lanes are declared here, not taken from {@link DotKernelSimd}: calling its
 * widening helpers instead measured 3x slower (170 against 52 ns a 128-entry vector), the vector code then not being
 * compiled as one piece.
 */
final class UnitVectorsSimd {
    private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
    private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> D8 = DoubleVector.SPECIES_512;
    private static final boolean WIDE = DoubleVector.SPECIES_PREFERRED.length() >= 8;

    private UnitVectorsSimd() {
    }

    /** unit[i] = v[i] / norm for start ≤ i &lt; end. */
    static void divide(float[] v, double norm, double[] unit, int start, int end) {
        int i = start;
        if (WIDE) {
            DoubleVector n = DoubleVector.broadcast(D8, norm);
            for (; i + 8 <= end; i += 8) {
                ((DoubleVector) FloatVector.fromArray(F8, v, i).convertShape(VectorOperators.F2D, D8, 0)).div(n).intoArray(unit, i);
            }
        } else {
            DoubleVector n = DoubleVector.broadcast(D4, norm);
            for (; i + 4 <= end; i += 4) {
                ((DoubleVector) FloatVector.fromArray(F4, v, i).convertShape(VectorOperators.F2D, D4, 0)).div(n).intoArray(unit, i);
            }
        }
        for (; i < end; i++) {
            unit[i] = v[i] / norm;
        }
    }
}
