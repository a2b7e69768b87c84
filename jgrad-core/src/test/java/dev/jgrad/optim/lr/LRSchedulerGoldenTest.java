package dev.jgrad.optim.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.nn.ClipGrad;
import dev.jgrad.nn.Parameter;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.ParamGroup;
import dev.jgrad.optim.SGD;
import dev.jgrad.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Learning-rate sequences against PyTorch 1.13 ({@code golden/lr/generate.py}): two parameter
 * groups, the rates before the first step and after every scheduler step, compared to the bit.
 * Also clip_grad_norm_ against torch within a few float32 ulps (torch sums the squares in float32 vector lanes, jgrad in double).
 */
class LRSchedulerGoldenTest {
    static final JsonNode GOLDEN = Golden.load("/golden/lr/lr.json");

    static Optimizer optimizer() {
        Parameter a = new Parameter(Jgrad.zeros(2));
        Parameter b = new Parameter(Jgrad.zeros(3));
        SGD sgd = new SGD(List.of(a), 0.5, 0.9, 0, 0, false, false);
        sgd.paramGroups().get(0).set("lr", 0.1);
        sgd.addParamGroup(new ParamGroup(List.of(b)).set("lr", 0.03));
        return sgd;
    }

    static List<Double> lrs(Optimizer o) {
        List<Double> out = new ArrayList<>();
        for (ParamGroup g : o.paramGroups()) {
            out.add(g.get("lr"));
        }
        return out;
    }

    static Map<String, Function<Optimizer, Object>> makers() {
        return Map.ofEntries(
                Map.entry("step_3_0.5", o -> new StepLR(o, 3, 0.5)),
                Map.entry("step_1_default", o -> new StepLR(o, 1)),
                Map.entry("cosine_10", o -> new CosineAnnealingLR(o, 10)),
                Map.entry("cosine_7_min", o -> new CosineAnnealingLR(o, 7, 0.001)),
                Map.entry("linear_default", o -> new LinearLR(o)),
                Map.entry("linear_0.1_4", o -> new LinearLR(o, 0.1, 1.0, 4)),
                Map.entry("linear_down", o -> new LinearLR(o, 1.0, 0.25, 5)),
                Map.entry("warmup_cosine", o -> new SequentialLR(o, List.of(new LinearLR(o, 0.1, 1.0, 3), new CosineAnnealingLR(o, 8)), new int[] {3})),
                Map.entry("warmup_step", o -> new SequentialLR(o, List.of(new LinearLR(o, 0.25, 1.0, 2), new StepLR(o, 2, 0.5)), new int[] {2})),
                Map.entry("plateau_default_patience2", o -> new ReduceLROnPlateau(o, "min", 0.1, 2, 1e-4, "rel", 0, 0, 1e-8)),
                Map.entry("plateau_max_abs_cooldown", o -> new ReduceLROnPlateau(o, "max", 0.5, 1, 0.05, "abs", 2, 0.02, 1e-8)));
    }

    @Test
    void sequencesEqualTorchsToTheBit() {
        int checked = 0;
        for (JsonNode c : GOLDEN) {
            String name = c.get("name").asText();
            Optimizer o = optimizer();
            Object s = makers().get(name).apply(o);
            List<List<Double>> got = new ArrayList<>();
            got.add(lrs(o));
            for (int i = 1; i < c.get("lrs").size(); i++) {
                if (s instanceof ReduceLROnPlateau) {
                    ((ReduceLROnPlateau) s).step(c.get("metrics").get(i - 1).asDouble());
                } else {
                    ((LRScheduler) s).step();
                    assertThat(((LRScheduler) s).getLastLr()).containsExactly(lrs(o).stream().mapToDouble(Double::doubleValue).toArray());
                }
                got.add(lrs(o));
            }
            List<List<Double>> want = new ArrayList<>();
            for (JsonNode step : c.get("lrs")) {
                want.add(List.of(Golden.number(step.get(0)), Golden.number(step.get(1))));
            }
            assertThat(got).as(name).isEqualTo(want);
            checked++;
        }
        assertThat(checked).isEqualTo(makers().size());
    }

    @Test
    void stateDictResumesTheSequence() {
        for (String name : List.of("cosine_10", "warmup_cosine", "plateau_max_abs_cooldown")) {
            Optimizer o = optimizer();
            Object s = makers().get(name).apply(o);
            double[] metrics = {1.0, 0.9, 0.95, 0.91, 0.9, 0.92, 0.5, 0.6, 0.7, 0.8};
            for (int i = 0; i < 5; i++) {
                step(s, metrics[i]);
            }
            Map<String, Tensor> saved = s instanceof LRScheduler ? ((LRScheduler) s).stateDict() : ((ReduceLROnPlateau) s).stateDict();
            Map<String, Tensor> optState = o.stateDict();
            Optimizer o2 = optimizer();
            Object s2 = makers().get(name).apply(o2);
            o2.loadStateDict(optState);
            if (s2 instanceof LRScheduler) {
                ((LRScheduler) s2).loadStateDict(saved);
            } else {
                ((ReduceLROnPlateau) s2).loadStateDict(saved);
            }
            for (int i = 5; i < 10; i++) {
                step(s, metrics[i]);
                step(s2, metrics[i]);
                assertThat(lrs(o2)).as("%s after step %d", name, i).isEqualTo(lrs(o));
            }
        }
    }

    private static void step(Object s, double metric) {
        if (s instanceof LRScheduler) {
            ((LRScheduler) s).step();
        } else {
            ((ReduceLROnPlateau) s).step(metric);
        }
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> new StepLR(optimizer(), 0)).hasMessageContaining("step_size must be a positive integer");
        assertThatThrownBy(() -> new ReduceLROnPlateau(optimizer(), "min", 1.5, 1, 0, "rel", 0, 0, 0)).hasMessage("Factor should be < 1.0.");
        assertThatThrownBy(() -> new ReduceLROnPlateau(optimizer(), "low", 0.5, 1, 0, "rel", 0, 0, 0)).hasMessage("mode low is unknown!");
        Optimizer o = optimizer();
        assertThatThrownBy(() -> new SequentialLR(o, List.of(new LinearLR(o)), new int[] {2}))
                .hasMessageContaining("expects number of schedulers provided to be one more than the number of milestone points");
    }

    @Test
    void clipGradNormEqualsTorchs() {
        JsonNode clips = Golden.load("/golden/lr/clip.json");
        for (JsonNode c : clips) {
            List<Parameter> ps = new ArrayList<>();
            for (int k = 0; k < c.get("grads").size(); k++) {
                JsonNode sh = c.get("shapes").get(k);
                int[] shape = new int[sh.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = sh.get(i).asInt();
                }
                double[] g = new double[c.get("grads").get(k).size()];
                for (int i = 0; i < g.length; i++) {
                    g[i] = Golden.number(c.get("grads").get(k).get(i));
                }
                Parameter p = new Parameter(Jgrad.zeros(shape));
                p.setGrad(Tensor.fromDoubles(g, shape).to(dev.jgrad.DType.FLOAT32));
                ps.add(p);
            }
            ps.add(new Parameter(Jgrad.zeros(2))); // no gradient: skipped
            String nt = c.get("norm_type").asText();
            double normType = nt.equals("inf") ? Double.POSITIVE_INFINITY : c.get("norm_type").asDouble();
            Tensor total = ClipGrad.clipGradNorm_(ps, c.get("max_norm").asDouble(), normType, false);
            double want = Golden.number(c.get("total"));
            assertThat(total.item()).as("total norm %s", c.get("norm_type")).isCloseTo(want, within(2e-7 * want));
            for (int k = 0; k < c.get("clipped").size(); k++) {
                double[] got = ps.get(k).grad().toDoubleArray();
                for (int i = 0; i < got.length; i++) {
                    double w = Golden.number(c.get("clipped").get(k).get(i));
                    assertThat(got[i]).as("clipped grad %d[%d], %s", k, i, c.get("norm_type")).isCloseTo(w, within(3e-7 * Math.abs(w) + 1e-12));
                }
            }
            assertThat(ps.get(ps.size() - 1).grad()).isNull();
        }
        Parameter nan = new Parameter(Jgrad.zeros(1));
        nan.setGrad(Jgrad.tensor(new double[] {Double.NaN}).to(dev.jgrad.DType.FLOAT32));
        assertThatThrownBy(() -> ClipGrad.clipGradNorm_(List.of(nan), 1, 2, true)).hasMessageContaining("is non-finite, so it cannot be clipped");
    }
}
