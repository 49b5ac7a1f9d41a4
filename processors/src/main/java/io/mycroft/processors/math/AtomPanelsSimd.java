package io.mycroft.processors.math;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link AtomPanels#scalarPartialSums} with the JDK Vector API: for each i, s[(i mod 16)·rows + x] += a_x[i]·b_i for all
 * rows x of the panel, eight rows per vector where the CPU has 512-bit vectors (else four), each a separate multiply and
 * add exactly as the scalar loop does, so the sums are the same bits. Loaded only when {@code jdk.incubator.vector} is
 * present. The sums stay in memory (one panel's 16 × rows doubles sit in L1): holding a block of them in sixteen vector
 * locals across i was 3–4x slower here, its vectors not kept in registers. The 8- and 4-lane forms are written out
 * separately, as in {@link DotKernelSimd}: the JIT compiles Vector API code to vector instructions only when the species
 * are constants.
 */
final class AtomPanelsSimd {
    private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
    private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> D8 = DoubleVector.SPECIES_512;
    private static final boolean WIDE = DoubleVector.SPECIES_PREFERRED.length() >= 8;

    private AtomPanelsSimd() {
    }

    /** {@code rows} must be a multiple of 8 and {@code lanes} a power of two. */
    static void partialSums(float[] panel, double[] b, double[] s, int body, int rows, int lanes) {
        if (WIDE) {
            partialSums8(panel, b, s, body, rows, lanes);
        } else {
            partialSums4(panel, b, s, body, rows, lanes);
        }
    }

    static void partialSums8(float[] panel, double[] b, double[] s, int body, int rows, int lanes) {
        for (int i = 0; i < body; i++) {
            DoubleVector bi = DoubleVector.broadcast(D8, b[i]);
            int from = i * rows;
            int lane = (i & (lanes - 1)) * rows;
            for (int x = 0; x < rows; x += 8) {
                DoubleVector a = (DoubleVector) FloatVector.fromArray(F8, panel, from + x).convertShape(VectorOperators.F2D, D8, 0);
                DoubleVector.fromArray(D8, s, lane + x).add(a.mul(bi)).intoArray(s, lane + x);
            }
        }
    }

    static void partialSums4(float[] panel, double[] b, double[] s, int body, int rows, int lanes) {
        for (int i = 0; i < body; i++) {
            DoubleVector bi = DoubleVector.broadcast(D4, b[i]);
            int from = i * rows;
            int lane = (i & (lanes - 1)) * rows;
            for (int x = 0; x < rows; x += 4) {
                DoubleVector a = (DoubleVector) FloatVector.fromArray(F4, panel, from + x).convertShape(VectorOperators.F2D, D4, 0);
                DoubleVector.fromArray(D4, s, lane + x).add(a.mul(bi)).intoArray(s, lane + x);
            }
        }
    }
}
