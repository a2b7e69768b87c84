package dev.jgrad.storage;

import dev.jgrad.DType;

/**
 * A flat, typed array of elements shared by a tensor and all its views, with the version counter
 * that autograd uses to detect in-place modification of saved tensors.
 *
 * <p>Internal: user code works with {@link dev.jgrad.Tensor}.
 * <pre>{@code
 * Storage s = Storage.allocate(DType.FLOAT32, 6);
 * s.set(0, 1.5);
 * }</pre>
 */
public abstract class Storage {
    private static long created;

    private final DType dtype;
    private int version;
    private final long serial = ++created;
    private long claimedBy = -1;

    /** Creates zero-filled storage. */
    public static Storage allocate(DType dtype, int size) {
        switch (dtype) {
            case FLOAT32: return new FloatStorage(new float[size]);
            case FLOAT64: return new DoubleStorage(new double[size]);
            case INT64: return new LongStorage(new long[size]);
            case BOOL: return new BoolStorage(new boolean[size]);
            default: throw new IllegalArgumentException("unknown dtype " + dtype);
        }
    }

    public static Storage of(float[] data) {
        return new FloatStorage(data);
    }

    public static Storage of(double[] data) {
        return new DoubleStorage(data);
    }

    public static Storage of(long[] data) {
        return new LongStorage(data);
    }

    public static Storage of(boolean[] data) {
        return new BoolStorage(data);
    }

    Storage(DType dtype) {
        this.dtype = dtype;
    }

    /** The element type (a field, not a virtual call: it is read by nearly every op). */
    public final DType dtype() {
        return dtype;
    }

    public abstract int size();

    /** Element {@code i} converted to double (booleans as 0/1). */
    public abstract double get(int i);

    /** Stores {@code v} at {@code i}, rounding to the storage's type. */
    public abstract void set(int i, double v);

    /**
     * How many storages had been created when this one was (a freshness hint for the autograd
     * engine, which is single-threaded: a storage created during a backward pass belongs to it).
     */
    public final long serial() {
        return serial;
    }

    /** The serial the next storage will get. */
    public static long nextSerial() {
        return created + 1;
    }

    /**
     * Claims this storage for {@code owner} (a backward pass); false if it was already claimed
     * by the same owner. Lets the engine hand a fresh gradient buffer to one leaf only.
     */
    public final boolean claim(long owner) {
        if (claimedBy == owner) {
            return false;
        }
        claimedBy = owner;
        return true;
    }

    /** The version counter: incremented by every in-place modification. */
    public final int version() {
        return version;
    }

    public final void bumpVersion() {
        version++;
    }

    public float[] floats() {
        throw new IllegalStateException("storage is " + dtype() + ", not float32");
    }

    public double[] doubles() {
        throw new IllegalStateException("storage is " + dtype() + ", not float64");
    }

    public long[] longs() {
        throw new IllegalStateException("storage is " + dtype() + ", not int64");
    }

    public boolean[] bools() {
        throw new IllegalStateException("storage is " + dtype() + ", not bool");
    }

    static final class FloatStorage extends Storage {
        private final float[] data;

        FloatStorage(float[] data) {
            super(DType.FLOAT32);
            this.data = data;
        }

        @Override public int size() { return data.length; }
        @Override public double get(int i) { return data[i]; }
        @Override public void set(int i, double v) { data[i] = (float) v; }
        @Override public float[] floats() { return data; }
    }

    static final class DoubleStorage extends Storage {
        private final double[] data;

        DoubleStorage(double[] data) {
            super(DType.FLOAT64);
            this.data = data;
        }

        @Override public int size() { return data.length; }
        @Override public double get(int i) { return data[i]; }
        @Override public void set(int i, double v) { data[i] = v; }
        @Override public double[] doubles() { return data; }
    }

    static final class LongStorage extends Storage {
        private final long[] data;

        LongStorage(long[] data) {
            super(DType.INT64);
            this.data = data;
        }

        @Override public int size() { return data.length; }
        @Override public double get(int i) { return data[i]; }
        @Override public void set(int i, double v) { data[i] = (long) v; }
        @Override public long[] longs() { return data; }
    }

    static final class BoolStorage extends Storage {
        private final boolean[] data;

        BoolStorage(boolean[] data) {
            super(DType.BOOL);
            this.data = data;
        }

        @Override public int size() { return data.length; }
        @Override public double get(int i) { return data[i] ? 1.0 : 0.0; }
        @Override public void set(int i, double v) { data[i] = v != 0.0; }
        @Override public boolean[] bools() { return data; }
    }
}
