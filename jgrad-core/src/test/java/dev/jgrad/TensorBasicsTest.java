package dev.jgrad;

import static dev.jgrad.Jgrad.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Storage, views, type promotion and the error messages of shape mistakes (messages as PyTorch 1.13's). */
class TensorBasicsTest {
    private final Tensor m = tensor(new double[][] {{1, 2, 3}, {4, 5, 6}});

    @Test
    void viewsShareStorageAndSeeWrites() {
        Tensor t = m.t();
        assertThat(t.shape()).containsExactly(3, 2);
        assertThat(t.stride()).containsExactly(1, 3);
        assertThat(t.isContiguous()).isFalse();
        assertThat(t.storage()).isSameAs(m.storage());
        Tensor row = m.select(0, 1);
        try (var g = Jgrad.noGrad()) {
            row.fill_(9);
        }
        assertThat(m.toDoubleArray()).containsExactly(1, 2, 3, 9, 9, 9);
        assertThat(t.get(2, 1)).isEqualTo(9);
        assertThat(m.narrow(1, 1, 2).toDoubleArray()).containsExactly(2, 3, 9, 9);
        assertThat(m.expand(2, 2, 3).stride()).containsExactly(0, 3, 1);
    }

    @Test
    void contiguousCopiesOnlyWhenNeeded() {
        assertThat(m.contiguous()).isSameAs(m);
        Tensor c = m.t().contiguous();
        assertThat(c.isContiguous()).isTrue();
        assertThat(c.storage()).isNotSameAs(m.storage());
        assertThat(c.toDoubleArray()).containsExactly(1, 4, 2, 5, 3, 6);
    }

    @Test
    void viewNeedsCompatibleStridesReshapeDoesNot() {
        assertThat(m.view(3, 2).storage()).isSameAs(m.storage());
        assertThat(m.view(-1).shape()).containsExactly(6);
        assertThatThrownBy(() -> m.t().view(6)).hasMessageStartingWith(
                "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        assertThat(m.t().reshape(6).toDoubleArray()).containsExactly(1, 4, 2, 5, 3, 6);
        assertThatThrownBy(() -> m.view(4, 2)).hasMessage("shape '[4, 2]' is invalid for input of size 6");
    }

    @Test
    void typePromotionFollowsPyTorch() {
        Tensor f32 = tensor(new double[] {1, 2});
        Tensor f64 = tensor(new double[] {1, 2}, DType.FLOAT64);
        Tensor i64 = tensor(new long[] {1, 2});
        assertThat(f32.add(f64).dtype()).isEqualTo(DType.FLOAT64);
        assertThat(i64.add(1.5).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(i64.add(i64).dtype()).isEqualTo(DType.INT64);
        assertThat(f32.add(Tensor.scalar(1, DType.FLOAT64)).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(i64.add(Tensor.scalar(1.5, DType.FLOAT64)).dtype()).isEqualTo(DType.FLOAT64);
        assertThat(i64.div(i64).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(f32.gt(1.5).dtype()).isEqualTo(DType.BOOL);
        assertThat(f32.gt(1.5).toString()).isEqualTo("tensor([False,  True])");
        assertThat(i64.exp().dtype()).isEqualTo(DType.FLOAT32);
    }

    @Test
    void shapeMismatchNamesBothShapesAndTheOp() {
        assertThatThrownBy(() -> Jgrad.ones(2, 3).add(Jgrad.ones(4)))
                .hasMessage("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1 (add: shapes [2, 3] and [4])");
        assertThatThrownBy(() -> Jgrad.ones(2, 3).mm(Jgrad.ones(2, 3)))
                .hasMessage("mm: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)");
        assertThatThrownBy(() -> Jgrad.cat(List.of(Jgrad.ones(2, 3), Jgrad.ones(2, 4)), 0))
                .hasMessage("Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list.");
        assertThatThrownBy(() -> Jgrad.ones(2, 3).expand(4, 3)).hasMessage(
                "The expanded size of the tensor (4) must match the existing size (2) at non-singleton dimension 0.  Target sizes: [4, 3].  Tensor sizes: [2, 3]");
        assertThatThrownBy(() -> Jgrad.ones(2, 3).sum(2)).hasMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)");
        assertThatThrownBy(() -> Jgrad.ones(2).item()).hasMessageStartingWith("only one element tensors can be converted to Python scalars");
    }

    @Test
    void inPlaceResultsMustFitTheDestination() {
        assertThatThrownBy(() -> Jgrad.ones(DType.INT64, 2).add_(Jgrad.ones(2)))
                .hasMessage("result type Float can't be cast to the desired output type Long");
        assertThatThrownBy(() -> Jgrad.ones(3).add_(Jgrad.ones(2, 3)))
                .hasMessage("output with shape [3] doesn't match the broadcast shape [2, 3]");
    }

    @Test
    void splitChunkCatAndStackRoundTrip() {
        List<Tensor> parts = m.split(2, 1);
        assertThat(parts).hasSize(2);
        assertThat(parts.get(1).shape()).containsExactly(2, 1);
        assertThat(Jgrad.cat(parts, 1).toDoubleArray()).containsExactly(m.toDoubleArray());
        assertThat(m.chunk(2, 0).get(1).toDoubleArray()).containsExactly(4, 5, 6);
        Tensor s = Jgrad.stack(List.of(m, m), 1);
        assertThat(s.shape()).containsExactly(2, 2, 3);
        assertThat(s.select(1, 1).toDoubleArray()).containsExactly(m.toDoubleArray());
    }

    @Test
    void indexingOps() {
        Tensor idx = tensor(new long[] {2, 0});
        assertThat(m.indexSelect(1, idx).toDoubleArray()).containsExactly(3, 1, 6, 4);
        Tensor g = tensor(new long[] {1, 0, 2, 2}).view(2, 2);
        assertThat(m.gather(1, g).toDoubleArray()).containsExactly(2, 1, 6, 6);
        assertThat(m.maskedFill(m.gt(3.0), -1).toDoubleArray()).containsExactly(1, 2, 3, -1, -1, -1);
        assertThatThrownBy(() -> m.indexSelect(1, tensor(new long[] {3})))
                .hasMessage("index_select(): index 3 is out of bounds for dimension with size 3");
    }

    @Test
    void maxByDimGivesValuesAndIndices() {
        Tensor.ValuesIndices r = tensor(new double[][] {{1, 7, 3}, {9, 2, 9}}).max(1);
        assertThat(r.values().toDoubleArray()).containsExactly(7, 9);
        assertThat(r.indices().dtype()).isEqualTo(DType.INT64);
        assertThat(r.indices().toLongArray()).containsExactly(1, 0);
        assertThat(m.argmax().item()).isEqualTo(5);
    }

    @Test
    void addAndSubWithAlphaRoundOnceAsPyTorch() {
        // torch.add(a, b, alpha=0.3) and torch.sub(a, b, alpha=0.3) in PyTorch 1.13 (a fused multiply-add)
        Tensor a = tensor(new double[] {1.1, 2.3});
        Tensor b = tensor(new double[] {0.7, -1.9});
        assertThat(a.add(b, 0.3).toDoubleArray()).containsExactly(0x1.4f5c2ap+0, 0x1.bae146p+0);
        assertThat(a.sub(b, 0.3).toDoubleArray()).containsExactly(0x1.c7ae16p-1, 0x1.6f5c28p+1);
    }

    @Test
    void softmaxOfIntegersIsAnErrorAsInPyTorch() {
        assertThatThrownBy(() -> tensor(new long[] {1, 2}).softmax(0))
                .hasMessage("\"softmax_lastdim_kernel_impl\" not implemented for 'Long'");
        assertThatThrownBy(() -> tensor(new long[] {1, 2}).logSoftmax(0))
                .hasMessage("\"log_softmax_lastdim_kernel_impl\" not implemented for 'Long'");
    }

    @Test
    void indexingAZeroDimensionalTensorGivesItsValue() {
        Tensor x = Tensor.scalar(5, DType.FLOAT32).requiresGrad_(true);
        Tensor y = x.indexSelect(0, tensor(new long[] {0, 0}));
        assertThat(y.dim()).isZero();
        assertThat(y.gradFn().name()).isEqualTo("IndexSelectBackward0");
        assertThat(x.gather(0, Tensor.scalar(0, DType.INT64)).item()).isEqualTo(5);
        assertThatThrownBy(() -> x.indexSelect(0, tensor(new long[] {1}))).hasMessageContaining("out of bounds");
    }
}
