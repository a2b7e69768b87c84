package dev.jgrad.nn;

/**
 * An invalid model spec: the message says where (file, line and column, or layer index) and
 * what is wrong; {@link #layerIndex()} is the layer's index, or −1 for the file as a whole.
 * <pre>{@code
 * try { ModelSpec.parse(text); } catch (ModelSpecException e) { System.err.println(e.getMessage()); }
 * // layer 2 (linear): in=4 but the previous layer gives 3 features (out of layer 0)
 * }</pre>
 */
public class ModelSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int layerIndex;

    public ModelSpecException(String message, int layerIndex) {
        super(message);
        this.layerIndex = layerIndex;
    }

    /** The index of the offending layer, or −1 if the error is not about one layer. */
    public int layerIndex() {
        return layerIndex;
    }
}
