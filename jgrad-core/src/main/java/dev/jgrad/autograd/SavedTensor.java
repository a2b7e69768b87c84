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

    SavedTensor(Tensor tensor) {
        this.tensor = tensor;
        this.version = tensor.storageVersion();
        Node fn = tensor.gradFn();
        this.producer = fn == null ? null : fn.name();
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
                    + " is at version " + now + "; expected version " + version + " instead. Hint: the backtrace "
                    + "further above can point to the operation that failed to compute its gradient (node "
                    + owner.name() + ").");
        }
        return tensor;
    }

    void free() {
        tensor = null;
    }
}
