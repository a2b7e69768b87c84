package dev.jgrad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.nn.F;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Adam;
import org.junit.jupiter.api.Test;

/** The README's Java example, compiled and run: it must keep working and print PyTorch's numbers. */
class ReadmeExampleTest {
    // --- README example start
    static class NeuralNet extends Module {
        final Linear linear1 = registerModule("linear1", new Linear(2, 3));
        final Linear linear2 = registerModule("linear2", new Linear(3, 2));
        final Linear linear3 = registerModule("linear3", new Linear(2, 1));

        @Override
        public Tensor forward(Tensor x) {
            Tensor a1 = F.relu(linear1.forward(x));
            Tensor a2 = F.relu(linear2.forward(a1));
            return F.sigmoid(linear3.forward(a2));
        }
    }

    static String example() {
        Tensor x = Jgrad.tensor(new double[][] {{1.0, 2.0}, {3.0, 4.0}});
        Tensor y = Jgrad.tensor(new double[][] {{0.0}, {1.0}});
        NeuralNet model = new NeuralNet();
        model.linear1.weight.data().copy_(Jgrad.tensor(new double[][] {{-1.0, 2.0}, {3.0, 0.5}, {-0.1, -4.0}}));
        model.linear1.bias.data().copy_(Jgrad.tensor(new double[] {1.0, -2.0, 0.3}));
        model.linear2.weight.data().copy_(Jgrad.tensor(new double[][] {{0.5, 1.0, -2.0}, {0.7, 0.1, 0.3}}));
        model.linear2.bias.data().copy_(Jgrad.tensor(new double[] {-4.0, 5.0}));
        model.linear3.weight.data().copy_(Jgrad.tensor(new double[][] {{0.5, -0.3}}));
        model.linear3.bias.data().copy_(Jgrad.tensor(new double[] {0.1}));

        Tensor output = model.forward(x);
        Tensor cost = F.binaryCrossEntropy(output, y);
        Adam optimizer = new Adam(model.parameters(), 0.01);
        optimizer.zeroGrad();
        cost.backward();
        String printed = "Cost: " + PyFormat.repr(cost.item()) + "\n" + model.linear1.weight.grad();
        optimizer.step();
        return printed;
    }
    // --- README example end

    @Test
    void printsPyTorchsCostAndGradient() {
        assertThat(example()).isEqualTo("Cost: 0.19522884488105774\n"
                + "tensor([[-0.0249, -0.0396],\n"
                + "        [-0.1814, -0.2428],\n"
                + "        [ 0.0000,  0.0000]])");
    }
}
