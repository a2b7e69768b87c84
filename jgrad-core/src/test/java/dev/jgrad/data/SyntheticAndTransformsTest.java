package dev.jgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jgrad.DType;
import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * Synthetic sets: without noise, moons and circles are scikit-learn's points (golden from
 * {@code make_moons}/{@code make_circles(shuffle=False)}) in the order of {@code randperm(n)} of the
 * generator; with noise, the offsets have the requested standard deviation. Standardizer and
 * one-hot against hand-computed values.
 */
class SyntheticAndTransformsTest {
    @Test
    void moonsAndCirclesAreSklearnsPointsShuffledByRandperm() {
        for (JsonNode c : Golden.load("/golden/data/synthetic.json")) {
            int n = c.get("n").asInt();
            TensorDataset ds = c.get("kind").asText().equals("moons") ? Synthetic.moons(n, 0, new Generator(11))
                    : Synthetic.circles(n, 0, c.get("factor").asDouble(), new Generator(11));
            long[] perm = Jgrad.randperm(n, new Generator(11)).toLongArray();
            float[] x = ds.tensor(0).toFloatArray();
            long[] y = ds.tensor(1).toLongArray();
            for (int i = 0; i < n; i++) {
                int j = (int) perm[i];
                assertThat((double) x[2 * i]).as("%s x[%d]", c.get("kind"), i)
                        .isCloseTo((float) Golden.number(c.get("x").get(2 * j)), within(1e-7));
                assertThat((double) x[2 * i + 1]).isCloseTo((float) Golden.number(c.get("x").get(2 * j + 1)), within(1e-7));
                assertThat(y[i]).isEqualTo(c.get("y").get(j).asLong());
            }
        }
    }

    @Test
    void noiseHasTheRequestedStandardDeviation() {
        int n = 4000;
        for (String kind : new String[] {"moons", "circles", "xor"}) {
            TensorDataset clean = Synthetic.fromSpec(kind + ":" + n + ",noise=0", new Generator(5));
            TensorDataset noisy = Synthetic.fromSpec(kind + ":" + n + ",noise=0.2", new Generator(5));
            assertThat(noisy.tensor(1).toLongArray()).as("same labels, same order").containsExactly(clean.tensor(1).toLongArray());
            double[] a = clean.tensor(0).toDoubleArray();
            double[] b = noisy.tensor(0).toDoubleArray();
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < a.length; i++) {
                double d = b[i] - a[i];
                sum += d;
                sq += d * d;
            }
            double mean = sum / a.length;
            double std = Math.sqrt(sq / a.length - mean * mean);
            assertThat(mean).as(kind).isCloseTo(0, within(0.01));
            assertThat(std).as(kind).isCloseTo(0.2, within(0.01));
        }
    }

    @Test
    void blobsSpiralsAndXorHaveTheirStructure() {
        TensorDataset blobs = Synthetic.blobs(601, 3, 0.5, new Generator(2));
        long[] y = blobs.tensor(1).toLongArray();
        float[] x = blobs.tensor(0).toFloatArray();
        int[] count = new int[3];
        double[][] mean = new double[3][2];
        for (int i = 0; i < y.length; i++) {
            count[(int) y[i]]++;
            mean[(int) y[i]][0] += x[2 * i];
            mean[(int) y[i]][1] += x[2 * i + 1];
        }
        assertThat(count).containsExactly(201, 200, 200);
        double spread = 0;
        for (int i = 0; i < y.length; i++) {
            int k = (int) y[i];
            double dx = x[2 * i] - mean[k][0] / count[k];
            double dy = x[2 * i + 1] - mean[k][1] / count[k];
            spread += dx * dx + dy * dy;
        }
        assertThat(Math.sqrt(spread / (2 * y.length))).as("cluster std").isCloseTo(0.5, within(0.03));
        for (double[] m : mean) {
            assertThat(Math.abs(m[0] / 200)).isLessThan(10.5);
        }
        TensorDataset spirals = Synthetic.spirals(301, 3, 0, new Generator(3));
        int[] sc = new int[3];
        for (long v : spirals.tensor(1).toLongArray()) {
            sc[(int) v]++;
        }
        assertThat(sc).containsExactly(101, 100, 100);
        float[] sx = spirals.tensor(0).toFloatArray();
        for (int i = 0; i < 301; i++) {
            assertThat(Math.hypot(sx[2 * i], sx[2 * i + 1])).isLessThanOrEqualTo(1.0 + 1e-6);
        }
        TensorDataset xor = Synthetic.xor(500, 0, new Generator(4));
        float[] xx = xor.tensor(0).toFloatArray();
        long[] xy = xor.tensor(1).toLongArray();
        int ones = 0;
        for (int i = 0; i < 500; i++) {
            assertThat(xy[i]).isEqualTo((xx[2 * i] > 0) != (xx[2 * i + 1] > 0) ? 1L : 0L);
            ones += xy[i];
        }
        assertThat(ones).isBetween(200, 300);
        assertThat(Synthetic.moons(10, 0.1, new Generator(9)).tensor(0).toFloatArray())
                .as("seeded: the same numbers again").containsExactly(Synthetic.moons(10, 0.1, new Generator(9)).tensor(0).toFloatArray());
    }

    @Test
    void specs() {
        TensorDataset ds = Synthetic.fromSpec("circles:50,noise=0.05,factor=0.3", new Generator(0));
        assertThat(ds.size()).isEqualTo(50);
        assertThat(ds.tensor(0).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(ds.tensor(1).dtype()).isEqualTo(DType.INT64);
        assertThat(Synthetic.isSpec("moons:100")).isTrue();
        assertThat(Synthetic.isSpec("data.csv")).isFalse();
        assertThat(Synthetic.isSpec("moons")).as("a bare kind is a spec without its size").isTrue();
        assertThatThrownBy(() -> Synthetic.fromSpec("moons", new Generator(0))).hasMessageContaining("needs a size: moons:N");
        assertThatThrownBy(() -> Synthetic.fromSpec("moons:x", new Generator(0))).hasMessageContaining("the size 'x' is not an integer");
        assertThatThrownBy(() -> Synthetic.fromSpec("moons:10,factor=2", new Generator(0)))
                .hasMessageContaining("unknown option 'factor' (known: noise)");
        assertThatThrownBy(() -> Synthetic.fromSpec("squares:10", new Generator(0)))
                .hasMessageContaining("unknown synthetic data 'squares' (known: moons, circles, blobs, spirals, xor)");
        assertThatThrownBy(() -> Synthetic.fromSpec("blobs:10,centers=2.5", new Generator(0)))
                .hasMessageContaining("centers must be an integer");
        assertThatThrownBy(() -> Synthetic.fromSpec("xor:10,noise=-1", new Generator(0))).hasMessageContaining("noise must be");
    }

    @Test
    void standardizerAsStandardScaler() {
        // columns [1, 2, 3, 6] (mean 3, population std sqrt(3.5)) and [5, 5, 5, 5] (std 0: scale 1)
        Tensor x = Jgrad.tensor(new double[][] {{1, 5}, {2, 5}, {3, 5}, {6, 5}}).to(DType.FLOAT32);
        Standardizer s = Standardizer.fit(x);
        assertThat(s.mean()).containsExactly(3.0, 5.0);
        assertThat(s.scale()).containsExactly(Math.sqrt(3.5), 1.0);
        Tensor z = s.transform(x);
        assertThat(z.dtype()).isEqualTo(DType.FLOAT32);
        float r = (float) Math.sqrt(3.5);
        assertThat(z.toFloatArray()).containsExactly(-2f / r, 0f, -1f / r, 0f, 0f, 0f, 3f / r, 0f);
        assertThat(s.inverseTransform(z).toFloatArray()).containsExactly(x.toFloatArray());
        assertThatThrownBy(() -> s.transform(Jgrad.zeros(2, 3))).hasMessageContaining("fitted on 2 columns; got a tensor of shape [2, 3]");
        assertThatThrownBy(() -> Standardizer.fit(Jgrad.zeros(0, 3))).hasMessageContaining("non-empty [N, F]");
    }

    @Test
    void oneHotAsTorch() {
        Tensor y = OneHot.encode(Jgrad.tensor(new long[] {2, 0, 1}), 4);
        assertThat(y.dtype()).isEqualTo(DType.INT64);
        assertThat(y.shape()).containsExactly(3, 4);
        assertThat(y.toLongArray()).containsExactly(0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0);
        assertThat(OneHot.decode(y).toLongArray()).containsExactly(2, 0, 1);
        assertThat(OneHot.encode(Jgrad.tensor(new long[] {1}), 2, DType.FLOAT32).toFloatArray()).containsExactly(0f, 1f);
        assertThatThrownBy(() -> OneHot.encode(Jgrad.tensor(new long[] {3}), 3))
                .hasMessageContaining("Class values must be smaller than num_classes (3) and not negative, got 3");
        assertThatThrownBy(() -> OneHot.encode(Jgrad.tensor(new double[] {1}), 3)).hasMessageContaining("index tensor (int64)");
    }
}
