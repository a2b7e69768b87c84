package dev.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * JSON model specs: building (PyTorch's initial weights, values from PyTorch 1.13), defaults,
 * round trip, and errors that name the layer index.
 */
class ModelSpecTest {
    private static final String SPEC = "{\"layers\": [{\"type\": \"linear\", \"in\": 2, \"out\": 3}, {\"type\": \"relu\"},\n"
            + " {\"type\": \"linear\", \"in\": 3, \"out\": 1, \"bias\": false}, {\"type\": \"dropout\", \"p\": 0.2},\n"
            + " {\"type\": \"linear\", \"in\": 1, \"out\": 2}]}";

    private static List<String> hex(Tensor t) {
        List<String> out = new ArrayList<>();
        for (float v : t.toFloatArray()) {
            out.add(Double.toHexString(v));
        }
        return out;
    }

    @Test
    void buildsTheWeightsOfTorchManualSeedAndSequential() {
        // torch.manual_seed(3); nn.Sequential(nn.Linear(2,3), nn.ReLU(), nn.Linear(3,1,bias=False),
        //     nn.Dropout(0.2), nn.Linear(1,2)).state_dict(), as float.hex()
        Sequential m = ModelSpec.parse(SPEC).build(new Generator(3));
        Map<String, Tensor> sd = m.stateDict();
        assertThat(sd.keySet()).containsExactly("0.weight", "0.bias", "2.weight", "4.weight", "4.bias");
        assertThat(hex(sd.get("0.weight"))).containsExactly("-0x1.66f398p-1", "-0x1.1d992ap-1", "-0x1.36221ap-2",
                "-0x1.568572p-1", "-0x1.48dab8p-5", "-0x1.3e8284p-1");
        assertThat(hex(sd.get("0.bias"))).containsExactly("0x1.89b42cp-2", "0x1.60ea14p-2", "0x1.117918p-3");
        assertThat(hex(sd.get("2.weight"))).containsExactly("0x1.ca9b5cp-2", "-0x1.cf35aep-5", "0x1.621f28p-2");
        assertThat(hex(sd.get("4.weight"))).containsExactly("-0x1.66901cp-1", "-0x1.93957p-3");
        assertThat(hex(sd.get("4.bias"))).containsExactly("-0x1.c885d8p-1", "-0x1.4c8d6p-4");
        assertThat(m.toString()).isEqualTo("Sequential(\n"
                + "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
                + "  (1): ReLU()\n"
                + "  (2): Linear(in_features=3, out_features=1, bias=False)\n"
                + "  (3): Dropout(p=0.2, inplace=False)\n"
                + "  (4): Linear(in_features=1, out_features=2, bias=True)\n"
                + ")");
    }

    @Test
    void buildWithoutGeneratorUsesTheDefaultOne() {
        ModelSpec spec = ModelSpec.parse(SPEC);
        Jgrad.manualSeed(3);
        Map<String, Tensor> a = spec.build().stateDict();
        Map<String, Tensor> b = spec.build(new Generator(3)).stateDict();
        for (String k : b.keySet()) {
            assertThat(a.get(k).toFloatArray()).as(k).containsExactly(b.get(k).toFloatArray());
        }
    }

    @Test
    void everyLayerTypeWithDefaultsAndRoundTrip() {
        String all = "{\"layers\": [{\"type\": \"flatten\"}, {\"type\": \"linear\", \"in\": 4, \"out\": 5},"
                + " {\"type\": \"leaky_relu\"}, {\"type\": \"gelu\"}, {\"type\": \"tanh\"}, {\"type\": \"sigmoid\"},"
                + " {\"type\": \"dropout\"}, {\"type\": \"identity\"}, {\"type\": \"leaky_relu\", \"negative_slope\": 0.2},"
                + " {\"type\": \"gelu\", \"approximate\": \"tanh\"}, {\"type\": \"softmax\", \"dim\": 1},"
                + " {\"type\": \"log_softmax\", \"dim\": -1}, {\"type\": \"relu\"}]}";
        ModelSpec spec = ModelSpec.parse(all);
        assertThat(spec.layers()).extracting(ModelSpec.Layer::type).containsExactly("flatten", "linear", "leaky_relu",
                "gelu", "tanh", "sigmoid", "dropout", "identity", "leaky_relu", "gelu", "softmax", "log_softmax", "relu");
        assertThat(spec.layers().get(1).options()).containsEntry("bias", true);
        assertThat(spec.layers().get(2).options()).containsEntry("negative_slope", 0.01);
        assertThat(spec.layers().get(3).options()).containsEntry("approximate", "none");
        assertThat(spec.layers().get(6).options()).containsEntry("p", 0.5);
        assertThat(spec.inFeatures()).isEqualTo(4);
        assertThat(spec.outFeatures()).isEqualTo(5);
        assertThat(ModelSpec.parse(spec.toJson())).isEqualTo(spec);
        assertThat(spec.toJson()).startsWith("{\"layers\":[{\"type\":\"flatten\"},{\"type\":\"linear\",\"in\":4,\"out\":5,\"bias\":true}");
        String repr = spec.build(new Generator(0)).toString();
        assertThat(repr).contains("(0): Flatten(start_dim=1, end_dim=-1)", "(2): LeakyReLU(negative_slope=0.01)",
                "(3): GELU(approximate='none')", "(6): Dropout(p=0.5, inplace=False)", "(7): Identity()",
                "(9): GELU(approximate='tanh')", "(10): Softmax(dim=1)", "(11): LogSoftmax(dim=-1)");
        Tensor y = spec.build(new Generator(0)).eval().forward(Jgrad.ones(2, 2, 2));
        assertThat(y.shape()).containsExactly(2, 5);
    }

    @Test
    void noLinearLayerMeansUnknownFeatures() {
        ModelSpec spec = ModelSpec.parse("{\"layers\": [{\"type\": \"relu\"}]}");
        assertThat(spec.inFeatures()).isEqualTo(-1);
        assertThat(spec.outFeatures()).isEqualTo(-1);
        assertThat(spec.build(new Generator(0)).parameters()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "size mismatch|[{\"type\":\"linear\",\"in\":2,\"out\":3},{\"type\":\"relu\"},{\"type\":\"linear\",\"in\":4,\"out\":1}]"
                + "|layer 2 (linear): in=4 but the previous layer gives 3 features (out of layer 0)|2",
        "unknown type|[{\"type\":\"relu\"},{\"type\":\"conv2d\"}]"
                + "|layer 1 (conv2d): unknown type \"conv2d\" (known: linear, relu, sigmoid, tanh, leaky_relu, gelu, softmax,"
                + " log_softmax, dropout, flatten, identity)|1",
        "unknown key|[{\"type\":\"linear\",\"in\":2,\"outt\":3}]"
                + "|layer 0 (linear): unknown key \"outt\" (allowed: in, out, bias)|0",
        "key on a type without keys|[{\"type\":\"relu\",\"inplace\":true}]"
                + "|layer 0 (relu): unknown key \"inplace\" (this type has no keys besides type)|0",
        "missing key|[{\"type\":\"relu\"},{\"type\":\"linear\",\"in\":2}]|layer 1 (linear): missing key \"out\"|1",
        "missing type|[{\"in\":2}]|layer 0: missing key \"type\"|0",
        "type not a string|[{\"type\":3}]|layer 0: \"type\" must be a string, got 3|0",
        "layer not an object|[{\"type\":\"relu\"},\"relu\"]|layer 1: expected an object, got \"relu\"|1",
        "fractional size|[{\"type\":\"linear\",\"in\":2.0,\"out\":3}]|layer 0 (linear): \"in\" must be a positive integer, got 2.0|0",
        "zero size|[{\"type\":\"linear\",\"in\":2,\"out\":0}]|layer 0 (linear): \"out\" must be a positive integer, got 0|0",
        "bias not a flag|[{\"type\":\"linear\",\"in\":2,\"out\":1,\"bias\":1}]|layer 0 (linear): \"bias\" must be true or false, got 1|0",
        "dropout p|[{\"type\":\"dropout\",\"p\":1.5}]|layer 0 (dropout): \"p\" must be between 0 and 1, got 1.5|0",
        "slope not a number|[{\"type\":\"leaky_relu\",\"negative_slope\":\"x\"}]"
                + "|layer 0 (leaky_relu): \"negative_slope\" must be a number, got \"x\"|0",
        "softmax without dim|[{\"type\":\"softmax\"}]|layer 0 (softmax): missing key \"dim\"|0",
        "log_softmax dim not integral|[{\"type\":\"log_softmax\",\"dim\":1.5}]|layer 0 (log_softmax): \"dim\" must be an integer, got 1.5|0",
        "gelu approximate|[{\"type\":\"gelu\",\"approximate\":\"erf\"}]"
                + "|layer 0 (gelu): \"approximate\" must be \"none\" or \"tanh\", got \"erf\"|0",
    })
    void layerErrorsNameTheIndex(String name, String layers, String message, int index) {
        assertThatThrownBy(() -> ModelSpec.parse("{\"layers\": " + layers + "}"))
                .isInstanceOf(ModelSpecException.class).hasMessage(message)
                .satisfies(e -> assertThat(((ModelSpecException) e).layerIndex()).isEqualTo(index));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not an object|[1]|expected a JSON object with \"layers\", got an array",
        "no layers|{}|missing key \"layers\"",
        "layers not an array|{\"layers\": {}}|\"layers\" must be an array, got an object",
        "unknown top-level key|{\"layers\": [], \"optimizer\": \"sgd\"}|unknown top-level key \"optimizer\" (allowed: layers)",
        "syntax error|{\"layers\": [\\n  {\"type\": \"relu\"}\\n  {\"type\": \"tanh\"}]}|line 3, column 3: invalid JSON: expected ']'",
        "duplicate key|{\"layers\": [], \"layers\": []}|line 1, column 16: invalid JSON: duplicate key \"layers\"",
    })
    void fileErrors(String name, String json, String message) {
        assertThatThrownBy(() -> ModelSpec.parse(json.replace("\\n", "\n")))
                .isInstanceOf(ModelSpecException.class).hasMessage(message)
                .satisfies(e -> assertThat(((ModelSpecException) e).layerIndex()).isEqualTo(-1));
    }

    @Test
    void loadNamesTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.json");
        Files.writeString(f, "{\"layers\": [{\"type\": \"linear\", \"in\": 2, \"out\": 1, \"bias\": \"yes\"}]}");
        assertThatThrownBy(() -> ModelSpec.load(f)).isInstanceOf(ModelSpecException.class)
                .hasMessage(f + ": layer 0 (linear): \"bias\" must be true or false, got \"yes\"");
        Files.write(f, new byte[] {'{', (byte) 0xff, '}'});
        assertThatThrownBy(() -> ModelSpec.load(f)).hasMessage(f + ": not valid UTF-8 text");
        Files.writeString(f, SPEC, StandardCharsets.UTF_8);
        assertThat(ModelSpec.load(f)).isEqualTo(ModelSpec.parse(SPEC));
    }

    @Test
    void dropoutDrawsTorchsMasksFromItsGenerator() {
        // torch.manual_seed(5); x = (torch.arange(12.).reshape(3, 4) + 1).requires_grad_();
        // y = F.dropout(x, 0.4); y.sum().backward(); then torch.rand(1) (PyTorch 1.13, CPU)
        Generator g = new Generator(5);
        Tensor x = Jgrad.arange(12).to(dev.jgrad.DType.FLOAT32).reshape(3, 4).add(1).requiresGrad_();
        Tensor y = new Dropout(0.4, g).forward(x);
        y.sum().backward();
        assertThat(y.toDoubleArray()).containsExactly(0.0, 3.3333332538604736, 5.0, 6.666666507720947, 8.333333015441895,
                0.0, 11.666666030883789, 0.0, 0.0, 16.66666603088379, 18.333332061767578, 20.0);
        assertThat(x.grad().toDoubleArray()).containsExactly(0.0, 1.6666666269302368, 1.6666666269302368, 1.6666666269302368,
                1.6666666269302368, 0.0, 1.6666666269302368, 0.0, 0.0, 1.6666666269302368, 1.6666666269302368,
                1.6666666269302368);
        assertThat(y.gradFn().name()).isEqualTo("MulBackward0");
        assertThat((double) Jgrad.rand(g, 1).toFloatArray()[0]).isEqualTo(0.9751613140106201);
        // float64: torch.manual_seed(5); F.dropout(torch.ones(6, dtype=torch.float64), 0.45)
        Tensor d = F.dropout(Jgrad.ones(dev.jgrad.DType.FLOAT64, 6), 0.45, true, new Generator(5));
        assertThat(d.toDoubleArray()).containsExactly(0.0, 1.8181818181818181, 1.8181818181818181, 1.8181818181818181,
                1.8181818181818181, 0.0);
    }
}
