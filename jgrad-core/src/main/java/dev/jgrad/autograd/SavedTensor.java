package dev.jgrad.autograd;

import dev.jgrad.Tensor;

/**
 * A tensor kept by the forward pass for the backward pass, with the version it had when saved.
 * Unpacking fails, as in PyTorch, if it was modified in place since or freed by a backward pass.
 */
final class SavedTensor {
    private Tensor tensor;
    private final int version;
    private final String producer;

    /** Saves {@code tensor}; {@code producer} names the node whose output it is (null: its current grad_fn). */
    SavedTensor(Tensor tensor, String producer) {
        this.tensor = tensor;
        this.version = tensor.storageVersion();
        Node fn = tensor.gradFn();
        this.producer = producer != null ? producer : fn == null ? null : fn.name();
    }

    Tensor unpack(Node owner) {
        if (tensor == null) {
            throw new IllegalStateException(Engine.FREED_MESSAGE);
        }
        int now = tensor.storageVersion();
        if (now != version) {
            String what = producer == null ? "" : ", which is output 0 of " + producer + ",";
            throw new IllegalStateException("one of the variables needed for gradient computation has been modified by an "
                    + "inplace operation: [" + tensor.typeName() + " " + tensor.shapeString() + "]" + what
                    + " is at version " + now + "; expected version " + version + " instead. Hint: the tensor was "
                    + "saved by " + owner.name() + " and modified in place before backward; clone() it before the "
                    + "in-place operation.");
        }
        return tensor;
    }

    /** The tensor if {@link #unpack} would return it, else null (no error). */
    Tensor peek() {
        return tensor != null && tensor.storageVersion() == version ? tensor : null;
    }

    void free() {
        tensor = null;
    }
}
