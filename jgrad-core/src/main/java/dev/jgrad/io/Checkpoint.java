package dev.jgrad.io;

import dev.jgrad.DType;
import dev.jgrad.Generator;
import dev.jgrad.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint in one safetensors file: named sections of tensors (a module's or an
 * optimizer's state dict under {@code model.}, {@code optim.}...), generator states (their
 * {@link Generator#getState()} bytes) and string metadata. {@link #save} writes atomically
 * (temporary file in the same folder, fsync, rename), so a process killed while saving leaves the
 * previous checkpoint intact; tensors are stored bit for bit, so resuming continues exactly.
 * <pre>{@code
 * new Checkpoint().put("model", model.stateDict()).put("optim", opt.stateDict()).putGenerator("rng", g).save(path);
 * Checkpoint c = Checkpoint.load(path); model.loadStateDict(c.section("model")); c.restoreGenerator("rng", g);
 * }</pre>
 */
public final class Checkpoint {
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Adds {@code state} under {@code name.} (replacing a section of that name). */
    public Checkpoint put(String name, Map<String, Tensor> state) {
        checkName(name);
        tensors.keySet().removeIf(k -> k.startsWith(name + "."));
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            tensors.put(name + "." + e.getKey(), e.getValue());
        }
        return this;
    }

    /** Adds one tensor under {@code name}. */
    public Checkpoint putTensor(String name, Tensor t) {
        checkName(name);
        tensors.put(name, t);
        return this;
    }

    /** The tensor stored under {@code name}, or null. */
    public Tensor tensor(String name) {
        return tensors.get(name);
    }

    /** The section {@code name} (keys without the prefix); empty if there is none. */
    public Map<String, Tensor> section(String name) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        String p = name + ".";
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().startsWith(p)) {
                out.put(e.getKey().substring(p.length()), e.getValue());
            }
        }
        return out;
    }

    /** Stores the state of {@code g} (its bytes as an int64 tensor) under {@code name}. */
    public Checkpoint putGenerator(String name, Generator g) {
        byte[] b = g.getState();
        long[] v = new long[b.length];
        for (int i = 0; i < b.length; i++) {
            v[i] = b[i] & 0xff;
        }
        return putTensor(name, Tensor.fromLongs(v, v.length));
    }

    /** Sets {@code g} to the state stored under {@code name}. */
    public void restoreGenerator(String name, Generator g) {
        Tensor t = tensors.get(name);
        if (t == null || t.dtype() != DType.INT64 || t.dim() != 1) {
            throw new IllegalArgumentException("checkpoint has no generator state '" + name + "'");
        }
        long[] v = t.toLongArray();
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        g.setState(b);
    }

    /** Sets a metadata string. */
    public Checkpoint putMeta(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** A metadata string, or null. */
    public String meta(String key) {
        return metadata.get(key);
    }

    /** All tensors by full name. */
    public Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /** All metadata. */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /** Writes the checkpoint atomically. */
    public void save(Path file) throws IOException {
        Safetensors.save(tensors, metadata, file);
    }

    /** Reads a checkpoint written by {@link #save}. */
    public static Checkpoint load(Path file) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        Checkpoint ck = new Checkpoint();
        ck.tensors.putAll(c.tensors());
        ck.metadata.putAll(c.metadata());
        return ck;
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("checkpoint entries need a name");
        }
    }
}
