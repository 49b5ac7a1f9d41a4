package io.mycroft.loadtests.omp;

import io.mycroft.processors.math.DotKernel;
import io.mycroft.processors.math.Vectors;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.mult.VectorVectorMult_DDRM;
import org.ejml.dense.row.mult.VectorVectorMult_FDRM;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The OMP inner kernel ⟨a, b⟩ at d = 1,290: a running sum, {@link DotKernel}'s 16-lane scalar and SIMD forms
 * (float32·float32 → double) against EJML's
 * inner products (double matrices, which need double copies of the float32 vectors, and float matrices, which also
 * accumulate in float32 — less precise than ours).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DotKernelBenchmark {
    private float[] a;
    private float[] b;
    private DMatrixRMaj ad;
    private DMatrixRMaj bd;
    private FMatrixRMaj af;
    private FMatrixRMaj bf;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(1);
        int d = 1290;
        a = new float[d];
        b = new float[d];
        ad = new DMatrixRMaj(d, 1);
        bd = new DMatrixRMaj(d, 1);
        af = new FMatrixRMaj(d, 1);
        bf = new FMatrixRMaj(d, 1);
        for (int i = 0; i < d; i++) {
            a[i] = (float) rnd.nextGaussian();
            b[i] = (float) rnd.nextGaussian();
            ad.data[i] = a[i];
            bd.data[i] = b[i];
            af.data[i] = a[i];
            bf.data[i] = b[i];
        }
    }

    @Benchmark
    public double plainLoop() {
        return Vectors.dot(a, b);
    }

    @Benchmark
    public double kernelScalar() {
        return DotKernel.scalarDot(a, b);
    }

    /** The scalar form as it was before 2026-12-04: its sixteen partial sums in an array (same bits). */
    @Benchmark
    public double kernelScalarArrayLanes() {
        double[] s = new double[16];
        int n = a.length & ~15;
        for (int i = 0; i < n; i += 16) {
            for (int k = 0; k < 16; k++) {
                s[k] += (double) a[i + k] * b[i + k];
            }
        }
        double[] t = new double[8];
        for (int k = 0; k < 8; k++) {
            t[k] = s[k] + s[k + 8];
        }
        double r = ((t[0] + t[4]) + (t[2] + t[6])) + ((t[1] + t[5]) + (t[3] + t[7]));
        for (int i = n; i < a.length; i++) {
            r += (double) a[i] * b[i];
        }
        return r;
    }

    @Benchmark
    public double kernelSimd() {
        return DotKernel.dot(a, b);
    }

    @Benchmark
    public double ejmlDouble() {
        return VectorVectorMult_DDRM.innerProd(ad, bd);
    }

    @Benchmark
    public double ejmlFloat() {
        return VectorVectorMult_FDRM.innerProd(af, bf);
    }
}
