package io.mycroft.processors.math;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Our OMP in its least-squares configuration (λ = 0, |⟨a, r⟩|, raw columns, no non-negativity) against the paths of
 * scikit-learn's {@code orthogonal_mp} in {@code src/test/resources/omp/} (made by {@code make_fixtures.py}).
 */
class SklearnGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"small", "medium", "wide", "tall"})
    void sameAtomsInSameOrderAndSameCoefficients(String name) throws IOException {
        JsonNode f = fixture(name);
        List<Candidate> candidates = new ArrayList<>();
        int n = f.get("n").asInt();
        for (int j = 0; j < n; j++) {
            JsonNode col = f.get("columns").get(j);
            float[] v = new float[col.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) col.get(i).asDouble();
            }
            candidates.add(new Candidate(String.format("c%04d", j), v));
        }
        double[] y = new double[f.get("y").size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = f.get("y").get(i).asDouble();
        }
        int k = f.get("k").asInt();

        OmpPath path = OrthogonalMatchingPursuit.solve(y, candidates, OmpOptions.leastSquares(k));

        assertThat(path.steps()).hasSize(f.get("order").size());
        for (int t = 0; t < path.steps().size(); t++) {
            OmpStep step = path.steps().get(t);
            assertThat(step.winner()).as("atom of step %d", t + 1)
                    .isEqualTo(String.format("c%04d", f.get("order").get(t).asInt()));
            JsonNode expected = f.get("weights").get(t);
            double[] w = step.weights();
            assertThat(w).hasSize(expected.size());
            for (int i = 0; i < w.length; i++) {
                double e = expected.get(i).asDouble();
                assertThat(w[i]).as("step %d weight %d", t + 1, i).isCloseTo(e, within(1e-9 * Math.max(1, Math.abs(e))));
            }
        }
    }

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = SklearnGoldenTest.class.getResourceAsStream("/omp/sklearn_" + name + ".json")) {
            assertThat(in).as("fixture %s (run make_fixtures.py)", name).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }
}
