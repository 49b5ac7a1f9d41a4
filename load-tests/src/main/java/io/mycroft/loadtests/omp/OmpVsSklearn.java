package io.mycroft.loadtests.omp;

import io.mycroft.processors.math.Candidate;
import io.mycroft.processors.math.OmpOptions;
import io.mycroft.processors.math.OmpPath;
import io.mycroft.processors.math.OmpStep;
import io.mycroft.processors.math.OrthogonalMatchingPursuit;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Our OMP kernel in scikit-learn's configuration ({@link OmpOptions#leastSquares}: |⟨a, r⟩|, λ = 0, raw columns) on a
 * seeded matrix, which it also writes out so {@code bin/omp-vs-sklearn.sh} can time {@code orthogonal_mp} on the very
 * same numbers. Usage: {@code OmpVsSklearn n d B outPrefix}; writes outPrefix.X.f32 (n rows of d little-endian
 * float32), outPrefix.y.f64, and prints "java_seconds=…" (each of {@value #MEASURED} solves after {@value #WARM_UPS} warm-ups) and the chosen atoms.
 */
public final class OmpVsSklearn {
    private static final int WARM_UPS = 5;
    private static final int MEASURED = 7;

    private OmpVsSklearn() {
    }

    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        int d = Integer.parseInt(args[1]);
        int budget = Integer.parseInt(args[2]);
        String out = args[3];
        OmpBenchData data = new OmpBenchData(n, d, 7);
        try (DataOutputStream x = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(out + ".X.f32")))) {
            ByteBuffer row = ByteBuffer.allocate(4 * d).order(ByteOrder.LITTLE_ENDIAN);
            for (Candidate c : data.candidates) {
                row.clear();
                row.asFloatBuffer().put(c.features());
                x.write(row.array());
            }
        }
        try (FileOutputStream y = new FileOutputStream(out + ".y.f64")) {
            ByteBuffer b = ByteBuffer.allocate(8 * d).order(ByteOrder.LITTLE_ENDIAN);
            b.asDoubleBuffer().put(data.y);
            y.write(b.array());
        }
        OmpOptions options = OmpOptions.leastSquares(budget);
        OmpPath path = null;
        List<String> seconds = new ArrayList<>();
        for (int i = 0; i < WARM_UPS + MEASURED; i++) {
            long t0 = System.nanoTime();
            path = OrthogonalMatchingPursuit.solve(data.y, data.candidates, options);
            if (i >= WARM_UPS) {
                seconds.add(String.format("%.4f", (System.nanoTime() - t0) / 1e9));
            }
        }
        System.out.println("java_seconds=" + String.join(",", seconds));
        System.out.println("java_atoms=" + path.steps().stream().map(OmpStep::winner)
                .map(id -> id.substring(1)).collect(Collectors.joining(",")));
    }
}
