package dev.jgrad;

/**
 * Element type of a {@link Tensor}, named as PyTorch names them.
 *
 * <p>{@code FLOAT32} is the default for floating-point data; {@code INT64} holds indices and
 * {@code BOOL} the results of comparisons. Mixed operands follow PyTorch's type promotion
 * ({@link #promote}).
 * <pre>{@code
 * Tensor x = Jgrad.zeros(DType.FLOAT64, 2, 3);
 * DType t = DType.promote(DType.FLOAT32, DType.FLOAT64); // FLOAT64
 * }</pre>
 */
public enum DType {
    BOOL("torch.bool", 0, 1),
    INT64("torch.int64", 1, 8),
    FLOAT32("torch.float32", 2, 4),
    FLOAT64("torch.float64", 3, 8);

    private final String torchName;
    private final int rank;
    private final int itemSize;

    DType(String torchName, int rank, int itemSize) {
        this.torchName = torchName;
        this.rank = rank;
        this.itemSize = itemSize;
    }

    /** PyTorch's spelling, e.g. {@code torch.float32}. */
    public String torchName() {
        return torchName;
    }

    /** PyTorch's C++ scalar type name used in its messages: Float, Double, Long, Bool. */
    public String scalarTypeName() {
        switch (this) {
            case FLOAT32: return "Float";
            case FLOAT64: return "Double";
            case INT64: return "Long";
            default: return "Bool";
        }
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** True for FLOAT32 and FLOAT64. */
    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** The type both operands are converted to, by PyTorch's promotion lattice (bool &lt; int64 &lt; float32 &lt; float64). */
    public static DType promote(DType a, DType b) {
        return a.rank >= b.rank ? a : b;
    }

    /** Category used by PyTorch's result_type: 0 bool, 1 integral, 2 floating. */
    int category() {
        return this == BOOL ? 0 : this == INT64 ? 1 : 2;
    }

    /**
     * PyTorch's result_type for two tensors: a zero-dimensional operand only changes the type
     * when it is of a higher category (bool, integral, floating) than the other.
     */
    public static DType resultType(Tensor a, Tensor b) {
        boolean az = a.dim() == 0;
        boolean bz = b.dim() == 0;
        if (az == bz) {
            return promote(a.dtype(), b.dtype());
        }
        DType dimmed = az ? b.dtype() : a.dtype();
        DType zero = az ? a.dtype() : b.dtype();
        if (zero.category() > dimmed.category()) {
            // A float 0-dim tensor promotes an integral tensor to the default float type
            return zero.isFloatingPoint() && !dimmed.isFloatingPoint() ? zero : promote(dimmed, zero);
        }
        return dimmed;
    }

    /** The dtype of {@code tensor op scalar} for a Java double scalar (a Python float). */
    public DType withFloatScalar() {
        return isFloatingPoint() ? this : FLOAT32;
    }

    @Override
    public String toString() {
        return torchName;
    }
}
