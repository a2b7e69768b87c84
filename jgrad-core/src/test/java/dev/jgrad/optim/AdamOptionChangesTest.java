package dev.jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.Jgrad;
import dev.jgrad.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Adam derives its step's scalars once per group and step count; a change of the options between
 * steps (a scheduler, a hand-set lr) must reach every parameter, also one that arrives at a step
 * count the optimizer derived before the change. Expected values: a fresh optimizer built with the
 * new options taking the same first step.
 */
class AdamOptionChangesTest {
    private static Parameter param(double... v) {
        return new Parameter(Jgrad.tensor(v));
    }

    @Test
    void anLrChangedBetweenStepsReachesAParameterAtAStepCountSeenBefore() {
        Parameter a = param(1.0, -2.0);
        Parameter b = param(0.5, 0.25);
        Adam opt = new Adam(List.of(a, b), 0.1);
        b.setGrad(Jgrad.tensor(new double[] {0.3, -0.7}));
        opt.step(); // b takes step 1 at lr 0.1 (a has no gradient)
        b.setGrad(null);
        opt.paramGroups().get(0).set("lr", 0.02);
        a.setGrad(Jgrad.tensor(new double[] {-0.4, 0.9}));
        opt.step(); // a takes its step 1, at lr 0.02

        Parameter fresh = param(1.0, -2.0);
        Adam expected = new Adam(List.of(fresh), 0.02);
        fresh.setGrad(Jgrad.tensor(new double[] {-0.4, 0.9}));
        expected.step();
        assertThat(a.toDoubleArray()).containsExactly(fresh.toDoubleArray());
    }

    @Test
    void groupsAtTheSameStepCountKeepTheirOwnOptions() {
        Parameter a = param(1.0, -2.0);
        Parameter b = param(1.0, -2.0);
        Adam opt = new Adam(List.of(a), 0.1);
        opt.addParamGroup(new ParamGroup(List.of(b)).set("lr", 0.001).set("weight_decay", 0.5));
        for (Parameter p : List.of(a, b)) {
            p.setGrad(Jgrad.tensor(new double[] {-0.4, 0.9}));
        }
        opt.step();

        Parameter freshA = param(1.0, -2.0);
        Parameter freshB = param(1.0, -2.0);
        freshA.setGrad(Jgrad.tensor(new double[] {-0.4, 0.9}));
        freshB.setGrad(Jgrad.tensor(new double[] {-0.4, 0.9}));
        new Adam(List.of(freshA), 0.1).step();
        new Adam(List.of(freshB), 0.001, 0.9, 0.999, 1e-8, 0.5, false, false).step();
        assertThat(a.toDoubleArray()).containsExactly(freshA.toDoubleArray());
        assertThat(b.toDoubleArray()).containsExactly(freshB.toDoubleArray());
        assertThat(a.toDoubleArray()).isNotEqualTo(b.toDoubleArray());
    }
}
