package dev.jgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DataLoader and random_split orders against PyTorch 1.13 ({@code golden/data/generate.py}): the
 * batches of several epochs for given seeds, batch sizes, drop_last and loader generators, and the
 * next {@code torch.rand(1)} of the global generator afterwards (so a missed or extra draw fails).
 */
class DataLoaderGoldenTest {
    static final JsonNode GOLDEN = Golden.load("/golden/data/loader.json");

    static List<List<Long>> epochOf(DataLoader loader) {
        List<List<Long>> batches = new ArrayList<>();
        for (List<Tensor> b : loader) {
            List<Long> ids = new ArrayList<>();
            for (long v : b.get(0).toLongArray()) {
                ids.add(v);
            }
            batches.add(ids);
        }
        return batches;
    }

    static List<List<Long>> expected(JsonNode epoch) {
        List<List<Long>> out = new ArrayList<>();
        for (JsonNode b : epoch) {
            List<Long> ids = new ArrayList<>();
            b.forEach(v -> ids.add(v.asLong()));
            out.add(ids);
        }
        return out;
    }

    @Test
    void epochsEqualTorchs() {
        for (JsonNode c : GOLDEN.get("loader")) {
            for (int prefetch : new int[] {0, 2}) {
                Generator global = new Generator(c.get("seed").asLong());
                DataLoader.Builder b = DataLoader.builder(new TensorDataset(Jgrad.arange(c.get("n").asInt())))
                        .batchSize(c.get("batch_size").asInt()).shuffle(c.get("shuffle").asBoolean())
                        .dropLast(c.get("drop_last").asBoolean()).defaultGenerator(global).prefetch(prefetch);
                Generator own = null;
                if (!c.get("loader_seed").isNull()) {
                    own = new Generator(c.get("loader_seed").asLong());
                    b.generator(own);
                }
                DataLoader loader = b.build();
                assertThat(loader.size()).as("len %s", c).isEqualTo(c.get("len").asInt());
                for (JsonNode e : c.get("epochs")) {
                    assertThat(epochOf(loader)).as("case %s, prefetch %d", c, prefetch).isEqualTo(expected(e));
                }
                assertThat((double) Jgrad.rand(global, 1).toFloatArray()[0]).as("next draw of the global generator, %s", c)
                        .isEqualTo(Golden.number(c.get("rand_after")));
                if (own != null) {
                    assertThat((double) Jgrad.rand(own, 1).toFloatArray()[0]).as("next draw of the loader generator, %s", c)
                            .isEqualTo(Golden.number(c.get("loader_rand_after")));
                }
            }
        }
    }

    @Test
    void randomSplitEqualsTorchs() {
        for (JsonNode c : GOLDEN.get("split")) {
            Dataset ds = new TensorDataset(Jgrad.arange(c.get("n").asInt()));
            boolean own = c.get("generator").asText().equals("own");
            Generator g = new Generator(c.get("seed").asLong());
            JsonNode lengths = c.get("lengths");
            List<Subset> parts;
            if (lengths.get(0).isIntegralNumber()) {
                int[] l = new int[lengths.size()];
                for (int i = 0; i < l.length; i++) {
                    l[i] = lengths.get(i).asInt();
                }
                parts = Datasets.randomSplit(ds, l, g);
            } else {
                double[] f = new double[lengths.size()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = lengths.get(i).asDouble();
                }
                parts = Datasets.randomSplit(ds, f, g);
            }
            assertThat(parts).hasSize(c.get("parts").size());
            for (int p = 0; p < parts.size(); p++) {
                List<Long> want = new ArrayList<>();
                c.get("parts").get(p).forEach(v -> want.add(v.asLong()));
                List<Long> got = new ArrayList<>();
                for (long v : parts.get(p).indices()) {
                    got.add(v);
                }
                assertThat(got).as("split %s part %d", c, p).isEqualTo(want);
                assertThat(parts.get(p).batch(parts.get(p).indices().length == 0 ? new long[] {} : new long[] {0}).get(0).toLongArray())
                        .as("subset maps its indices").containsExactly(want.get(0));
            }
            if (!own) {
                assertThat((double) Jgrad.rand(g, 1).toFloatArray()[0]).isEqualTo(Golden.number(c.get("rand_after")));
            }
        }
    }

    @Test
    void resumeContinuesTheSameEpochWithoutDrawing() {
        Generator g = new Generator(3);
        TensorDataset ds = new TensorDataset(Jgrad.arange(11));
        DataLoader loader = DataLoader.builder(ds).batchSize(3).shuffle(true).defaultGenerator(g).build();
        DataLoader.Epoch e = loader.iterator();
        List<Long> first = new ArrayList<>();
        for (long v : e.next().get(0).toLongArray()) {
            first.add(v);
        }
        long[] order = e.order();
        byte[] state = g.getState();
        List<List<Long>> rest = new ArrayList<>();
        e.forEachRemaining(b -> {
            List<Long> ids = new ArrayList<>();
            for (long v : b.get(0).toLongArray()) {
                ids.add(v);
            }
            rest.add(ids);
        });
        Generator g2 = new Generator(0).setState(state);
        DataLoader again = DataLoader.builder(ds).batchSize(3).shuffle(true).defaultGenerator(g2).build();
        List<List<Long>> resumed = new ArrayList<>();
        again.resume(order, 1).forEachRemaining(b -> {
            List<Long> ids = new ArrayList<>();
            for (long v : b.get(0).toLongArray()) {
                ids.add(v);
            }
            resumed.add(ids);
        });
        assertThat(resumed).isEqualTo(rest).hasSize(3);
        assertThat(first).hasSize(3);
        assertThat(g2.getState()).as("resuming draws nothing").isEqualTo(state);
        assertThat(epochOf(again)).as("the next epoch after a resume is the same as without").isEqualTo(epochOf(loader));
    }

    @Test
    void errors() {
        TensorDataset ds = new TensorDataset(Jgrad.arange(5));
        assertThatThrownBy(() -> DataLoader.builder(ds).batchSize(0))
                .hasMessage("batch_size should be a positive integer value, but got batch_size=0");
        assertThatThrownBy(() -> DataLoader.builder(ds).build().resume(new long[4], 0))
                .hasMessageContaining("the saved epoch order has 4 indices but the data set has 5 examples");
        assertThatThrownBy(() -> new TensorDataset(Jgrad.arange(5), Jgrad.arange(4)))
                .hasMessageContaining("Size mismatch between tensors");
        assertThatThrownBy(() -> Datasets.randomSplit(ds, new int[] {2, 2}, new Generator(0)))
                .hasMessageContaining("Sum of input lengths does not equal the length of the input dataset! (4 != 5)");
        assertThatThrownBy(() -> Datasets.randomSplit(ds, new double[] {0.5, 0.6}, new Generator(0)))
                .hasMessageContaining("split fractions must sum to 1");
        DataLoader.Epoch e = DataLoader.builder(ds).batchSize(5).build().iterator();
        e.next();
        assertThatThrownBy(e::next).hasMessageContaining("the epoch has ended after 1 batches");
    }

    @Test
    void prefetchPassesDatasetErrorsOnAndStopsWhenClosed() throws InterruptedException {
        Dataset failing = new Dataset() {
            @Override
            public int size() {
                return 6;
            }

            @Override
            public List<Tensor> get(int index) {
                if (index == 4) {
                    throw new IllegalStateException("bad example 4");
                }
                return List.of(Jgrad.tensor((double) index));
            }
        };
        DataLoader loader = DataLoader.builder(failing).batchSize(2).prefetch(1).build();
        DataLoader.Epoch e = loader.iterator();
        assertThat(e.next().get(0).toDoubleArray()).containsExactly(0, 1);
        assertThat(e.next().get(0).toDoubleArray()).containsExactly(2, 3);
        assertThatThrownBy(e::next).hasMessage("bad example 4");
        DataLoader.Epoch open = DataLoader.builder(new TensorDataset(Jgrad.arange(100))).batchSize(1).prefetch(2).build().iterator();
        open.next();
        open.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("jgrad-dataloader-prefetch") && t.isAlive())
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("jgrad-dataloader-prefetch") && t.isAlive());
    }
}
