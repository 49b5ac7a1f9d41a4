package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomPanelsTest {

    @Test
    void everyRowIsTheSameBitsAsItsOwnDotProduct() {
        Random rnd = new Random(2);
        for (int d : new int[] {1, 15, 16, 17, 33, 1290}) {
            // 300 rows of d = 1,290 are past the parallel threshold; 63/64/65 straddle a panel edge.
            for (int n : new int[] {1, 63, 64, 65, 300}) {
                float[][] rows = new float[n][d];
                float[] b = new float[d];
                for (int i = 0; i < d; i++) {
                    b[i] = (float) (rnd.nextGaussian() * Math.exp(rnd.nextGaussian() * 3));
                    for (float[] row : rows) {
                        row[i] = (float) (rnd.nextGaussian() * Math.exp(rnd.nextGaussian() * 5));
                    }
                }
                AtomPanels panels = new AtomPanels(d);
                for (float[] row : rows) {
                    panels.add(row);
                }
                double[] out = new double[n + 3];
                panels.dots(Vectors.toDouble(b), out);
                for (int x = 0; x < n; x++) {
                    assertThat(out[x]).as("row %d of %d, d = %d", x, n, d).isEqualTo(DotKernel.scalarDot(rows[x], b));
                    assertThat(out[x]).isEqualTo(DotKernel.dot(rows[x], b));
                    assertThat(panels.row(x)).isEqualTo(rows[x]);
                }
                assertThat(out[n]).as("nothing written past the last row").isZero();
                assertThat(panels.rows()).isEqualTo(n);
            }
        }
    }

    @Test
    void theVectorPartialSumsAreTheSameBitsAsTheScalarOnesAtBothWidths() {
        Random rnd = new Random(4);
        int rows = AtomPanels.ROWS;
        int body = 1280;
        float[] panel = new float[(body + 10) * rows];
        for (int k = 0; k < panel.length; k++) {
            panel[k] = (float) (rnd.nextGaussian() * Math.exp(rnd.nextGaussian() * 5));
        }
        double[] b = new double[body + 10];
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextGaussian() * Math.exp(rnd.nextGaussian() * 3);
        }
        double[] scalar = new double[16 * rows];
        AtomPanels.scalarPartialSums(panel, b, scalar, body, rows, 16);
        double[] wide = new double[16 * rows];
        AtomPanelsSimd.partialSums8(panel, b, wide, body, rows, 16);
        double[] narrow = new double[16 * rows];
        AtomPanelsSimd.partialSums4(panel, b, narrow, body, rows, 16);
        assertThat(wide).isEqualTo(scalar);
        assertThat(narrow).isEqualTo(scalar);
        assertThat(scalar).doesNotContain(0.0);
    }

    @Test
    void passesAndReadsBetweenAddsSeeEveryRowAddedSoFar() {
        Random rnd = new Random(3);
        int d = 37;
        AtomPanels panels = new AtomPanels(d);
        float[][] rows = new float[200][d];
        float[] atom = new float[d];
        for (int n = 0; n < rows.length; n++) {
            for (int i = 0; i < d; i++) {
                atom[i] = (float) rnd.nextGaussian();
            }
            rows[n] = atom.clone();
            panels.add(atom); // one array reused, as OmpRun passes its scratch atom
            if (rnd.nextInt(7) == 0) {
                float[] b = new float[d];
                for (int i = 0; i < d; i++) {
                    b[i] = (float) rnd.nextGaussian();
                }
                double[] out = new double[n + 1];
                panels.dots(Vectors.toDouble(b), out);
                for (int x = 0; x <= n; x++) {
                    assertThat(out[x]).as("row %d after %d adds", x, n + 1).isEqualTo(DotKernel.dot(rows[x], b));
                }
            }
            int x = rnd.nextInt(n + 1);
            assertThat(panels.row(x)).as("row %d after %d adds", x, n + 1).isEqualTo(rows[x]);
        }
    }

    @Test
    void rowsOfAnotherDimAreRefused() {
        AtomPanels panels = new AtomPanels(4);
        assertThatThrownBy(() -> panels.add(new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dim 3");
    }
}
