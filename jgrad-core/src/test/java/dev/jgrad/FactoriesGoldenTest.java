package dev.jgrad;

import static dev.jgrad.testing.TensorAssert.assertClose;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jgrad.nn.Linear;
import dev.jgrad.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Factories and seeded random draws equal PyTorch's bit for bit
 * ({@code golden/factories/generate.py}, PyTorch 1.13).
 */
class FactoriesGoldenTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : Golden.load("/golden/factories/factories.json").get("cases")) {
            out.add(Arguments.of(c.get("kind").asText() + " " + c.get("args"), c));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String name, JsonNode c) {
        JsonNode a = c.get("args");
        Tensor actual;
        switch (c.get("kind").asText()) {
            case "linspace":
                actual = Jgrad.linspace(a.get(0).asDouble(), a.get(1).asDouble(), a.get(2).asInt());
                break;
            case "arange_float":
                actual = Jgrad.arange(a.get(0).asDouble(), a.get(1).asDouble(), a.get(2).asDouble());
                break;
            case "arange_long":
                actual = Jgrad.arange(a.get(0).asLong(), a.get(1).asLong());
                break;
            case "eye":
                actual = Jgrad.eye(a.get(0).asInt(), a.get(1).asInt());
                break;
            case "rand":
                actual = Jgrad.rand(new Generator(a.get(0).asLong()), a.get(1).asInt());
                break;
            case "rand64": {
                Tensor t = Jgrad.zeros(DType.FLOAT64, a.get(1).asInt());
                new Generator(a.get(0).asLong()).fillUniform(t, 0, 1);
                actual = t;
                break;
            }
            case "randint":
                actual = Jgrad.randint(new Generator(a.get(0).asLong()), a.get(1).asLong(), a.get(2).asLong(), a.get(3).asInt());
                break;
            case "randperm":
                actual = Jgrad.randperm(a.get(1).asInt(), new Generator(a.get(0).asLong()));
                break;
            case "linear_init": {
                Jgrad.manualSeed(a.get(0).asLong());
                Linear lin = new Linear(a.get(1).asInt(), a.get(2).asInt());
                actual = Jgrad.cat(List.of(lin.weight.detach().reshape(-1), lin.bias.detach()));
                break;
            }
            default:
                throw new IllegalArgumentException("unknown case " + name);
        }
        // bit-exact: zero tolerance
        assertClose(actual, Golden.tensor(c.get("expected")), 0, 0, name);
    }
}
