package dev.jgrad.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.metrics.ConfusionMatrix;
import dev.jgrad.metrics.Metrics;
import dev.jgrad.nn.ClipGrad;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.lr.CosineAnnealingLR;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's training-loop example (data, DataLoader, scheduler, clipping, metrics), compiled and run. */
class DataReadmeExampleTest {
    static ConfusionMatrix example() {
        // --- README example start
        Jgrad.manualSeed(0);                                             // torch.manual_seed(0)
        TensorDataset moons = Synthetic.moons(1000, 0.2, new Generator(1));
        List<Subset> parts = Datasets.randomSplit(moons, new double[] {0.8, 0.2});
        DataLoader loader = DataLoader.builder(parts.get(0)).batchSize(32).shuffle(true).build();
        Sequential model = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 2));
        Adam opt = new Adam(model.parameters(), 0.01);
        CosineAnnealingLR schedule = new CosineAnnealingLR(opt, 20);
        for (int epoch = 0; epoch < 20; epoch++) {
            for (List<Tensor> batch : loader) {
                opt.zeroGrad();
                Tensor loss = F.crossEntropy(model.forward(batch.get(0)), batch.get(1));
                loss.backward();
                ClipGrad.clipGradNorm_(model.parameters(), 1.0);
                opt.step();
            }
            schedule.step();
        }
        List<Tensor> val = parts.get(1).batch(Jgrad.arange(parts.get(1).size()).toLongArray());
        Tensor predicted = Metrics.argmax(model.forward(val.get(0)));
        ConfusionMatrix cm = ConfusionMatrix.of(predicted, val.get(1), 2);
        System.out.println("accuracy " + cm.accuracy() + ", macro F1 " + cm.macroF1() + "\n" + cm);
        // --- README example end
        return cm;
    }

    @Test
    void runs() {
        ConfusionMatrix cm = example();
        assertThat(cm.total()).isEqualTo(200);
        assertThat(cm.accuracy()).isGreaterThan(0.85);
        assertThat(cm.macroF1()).isGreaterThan(0.85);
    }
}
