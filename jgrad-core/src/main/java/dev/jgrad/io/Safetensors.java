package dev.jgrad.io;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * (dtype, shape, data_offsets per tensor, optional {@code __metadata__}), then the raw
 * little-endian data. F32, F64, I64 and BOOL are written; F16, BF16, I32, I16, I8 and U8 are
 * also read (as float32, or int64 for integers). Headers are validated strictly; writes go to a
 * temporary file that is renamed into place. Files match those of the Python {@code safetensors}
 * library byte for byte.
 * <pre>{@code
 * Safetensors.save(model.stateDict(), Path.of("model.safetensors"));
 * model.loadStateDict(Safetensors.load(Path.of("model.safetensors")));
 * }</pre>
 */
public final class Safetensors {
    /** The largest header accepted, as the reference implementation (100 MB). */
    public static final long MAX_HEADER = 100_000_000L;
    private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

    private Safetensors() {
    }

    /** The tensors and metadata of a file. */
    public static final class Contents {
        private final Map<String, Tensor> tensors;
        private final Map<String, String> metadata;

        Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
            this.tensors = tensors;
            this.metadata = metadata;
        }

        /** The tensors in header order. */
        public Map<String, Tensor> tensors() {
            return tensors;
        }

        /** The {@code __metadata__} strings (empty if none). */
        public Map<String, String> metadata() {
            return metadata;
        }
    }

    /** Reads the tensors of a file. */
    public static Map<String, Tensor> load(Path file) throws IOException {
        return read(file).tensors();
    }

    /** Reads tensors and metadata of a file. */
    public static Contents read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE) {
            throw new SafetensorsException(file + ": file of " + size + " bytes is larger than 2 GiB, which jgrad cannot map");
        }
        return deserialize(Files.readAllBytes(file), file.toString());
    }

    /** Parses the bytes of a safetensors file; {@code source} names it in errors. */
    public static Contents deserialize(byte[] bytes, String source) throws SafetensorsException {
        if (bytes.length < 8) {
            throw new SafetensorsException(source + ": file is " + bytes.length + " bytes, too short for the 8-byte header length");
        }
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > MAX_HEADER || n > bytes.length - 8L) {
            throw new SafetensorsException(source + ": header length " + Long.toUnsignedString(n) + " is invalid (file has "
                    + (bytes.length - 8) + " bytes after the length; at most " + MAX_HEADER + " allowed)");
        }
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        if (header.charAt(0) != '{') {
            throw new SafetensorsException(source + ": header does not start with '{'");
        }
        Object parsed;
        try {
            parsed = Json.parse(header);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(source + ": header: " + e.getMessage());
        }
        if (!(parsed instanceof Map)) {
            throw new SafetensorsException(source + ": header is not a JSON object");
        }
        int dataStart = 8 + (int) n;
        int dataLen = bytes.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                if (!(e.getValue() instanceof Map)) {
                    throw new SafetensorsException(source + ": __metadata__ must be an object of strings");
                }
                for (Map.Entry<?, ?> m : ((Map<?, ?>) e.getValue()).entrySet()) {
                    if (!(m.getValue() instanceof String)) {
                        throw new SafetensorsException(source + ": __metadata__ value of \"" + m.getKey() + "\" is not a string");
                    }
                    metadata.put((String) m.getKey(), (String) m.getValue());
                }
                continue;
            }
            entries.add(entry(source, name, e.getValue(), dataLen));
        }
        // the data of all tensors must tile the buffer: no overlap, no hole, nothing left over
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong((Entry x) -> x.begin).thenComparingLong(x -> x.end));
        long at = 0;
        for (Entry e : byOffset) {
            if (e.begin != at) {
                throw new SafetensorsException(source + ": tensor '" + e.name + "': data_offsets [" + e.begin + ", " + e.end + "] "
                        + (e.begin < at ? "overlap the previous tensor's data (which ends at " + at + ")"
                        : "leave a gap after byte " + at));
            }
            at = e.end;
        }
        if (at != dataLen) {
            throw new SafetensorsException(source + ": the tensors cover " + at + " bytes of data but the file has " + dataLen
                    + " bytes after the header");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : entries) {
            tensors.put(e.name, decode(e, data, dataStart));
        }
        return new Contents(tensors, metadata);
    }

    private static final class Entry {
        String name;
        String dtype;
        int[] shape;
        long begin;
        long end;
    }

    private static Entry entry(String source, String name, Object v, int dataLen) throws SafetensorsException {
        String where = source + ": tensor '" + name + "'";
        if (!(v instanceof Map)) {
            throw new SafetensorsException(where + ": entry is not an object");
        }
        Map<?, ?> m = (Map<?, ?>) v;
        for (Object k : m.keySet()) {
            if (!ENTRY_KEYS.contains(k)) {
                throw new SafetensorsException(where + ": unknown key \"" + k + "\"");
            }
        }
        Entry e = new Entry();
        e.name = name;
        if (!(m.get("dtype") instanceof String)) {
            throw new SafetensorsException(where + ": missing or non-string dtype");
        }
        e.dtype = (String) m.get("dtype");
        int item = itemSize(e.dtype);
        if (item == 0) {
            throw new SafetensorsException(where + ": unsupported dtype " + e.dtype);
        }
        Object shape = m.get("shape");
        if (!(shape instanceof List)) {
            throw new SafetensorsException(where + ": missing or non-array shape");
        }
        List<?> dims = (List<?>) shape;
        e.shape = new int[dims.size()];
        long numel = 1;
        for (int d = 0; d < dims.size(); d++) {
            Object x = dims.get(d);
            if (!(x instanceof Long) || (Long) x < 0 || (Long) x > Integer.MAX_VALUE) {
                throw new SafetensorsException(where + ": shape entry " + d + " is not a non-negative integer: " + x);
            }
            e.shape[d] = (int) (long) (Long) x;
            numel *= e.shape[d];
            if (numel > Integer.MAX_VALUE) {
                throw new SafetensorsException(where + ": shape " + dims + " has too many elements");
            }
        }
        Object off = m.get("data_offsets");
        if (!(off instanceof List) || ((List<?>) off).size() != 2 || !(((List<?>) off).get(0) instanceof Long)
                || !(((List<?>) off).get(1) instanceof Long)) {
            throw new SafetensorsException(where + ": data_offsets must be two integers [begin, end]");
        }
        e.begin = (Long) ((List<?>) off).get(0);
        e.end = (Long) ((List<?>) off).get(1);
        if (e.begin < 0 || e.end < e.begin || e.end > dataLen) {
            throw new SafetensorsException(where + ": data_offsets [" + e.begin + ", " + e.end + "] are out of range (data has "
                    + dataLen + " bytes)");
        }
        if (e.end - e.begin != numel * item) {
            throw new SafetensorsException(where + ": data_offsets [" + e.begin + ", " + e.end + "] span " + (e.end - e.begin)
                    + " bytes but dtype " + e.dtype + " and shape " + dims + " need " + numel * item);
        }
        return e;
    }

    private static int itemSize(String dtype) {
        switch (dtype) {
            case "F64": case "I64": return 8;
            case "F32": case "I32": return 4;
            case "F16": case "BF16": case "I16": return 2;
            case "I8": case "U8": case "BOOL": return 1;
            default: return 0;
        }
    }

    private static Tensor decode(Entry e, ByteBuffer b, int dataStart) {
        int n = (int) ((e.end - e.begin) / itemSize(e.dtype));
        int p = dataStart + (int) e.begin;
        switch (e.dtype) {
            case "F32": {
                float[] v = new float[n];
                b.position(p);
                b.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                return Tensor.fromFloats(v, e.shape);
            }
            case "F64": {
                double[] v = new double[n];
                b.position(p);
                b.slice().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
                return Tensor.fromDoubles(v, e.shape);
            }
            case "F16": case "BF16": {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    int bits = b.getShort(p + 2 * i) & 0xffff;
                    v[i] = e.dtype.equals("BF16") ? Float.intBitsToFloat(bits << 16) : Half.toFloat(bits);
                }
                return Tensor.fromFloats(v, e.shape);
            }
            case "BOOL": {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    v[i] = b.get(p + i) != 0;
                }
                return Tensor.fromBooleans(v, e.shape);
            }
            default: {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    switch (e.dtype) {
                        case "I64": v[i] = b.getLong(p + 8 * i); break;
                        case "I32": v[i] = b.getInt(p + 4 * i); break;
                        case "I16": v[i] = b.getShort(p + 2 * i); break;
                        case "I8": v[i] = b.get(p + i); break;
                        default: v[i] = b.get(p + i) & 0xff; break; // U8
                    }
                }
                return Tensor.fromLongs(v, e.shape);
            }
        }
    }


    /** Writes tensors without metadata. */
    public static void save(Map<String, Tensor> tensors, Path file) throws IOException {
        save(tensors, Map.of(), file);
    }

    /** Writes tensors and metadata atomically: a temporary file in the same folder, synced, then renamed. */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) throws IOException {
        byte[] bytes = serialize(tensors, metadata);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static int order(DType t) {
        // the Python library sorts by its dtype enum, descending: I64, F64, F32, ..., BOOL
        switch (t) {
            case INT64: return 0;
            case FLOAT64: return 1;
            case FLOAT32: return 2;
            default: return 3;
        }
    }

    private static String code(DType t) {
        switch (t) {
            case INT64: return "I64";
            case FLOAT64: return "F64";
            case FLOAT32: return "F32";
            default: return "BOOL";
        }
    }

    /** The bytes of a safetensors file, laid out as the Python library lays them out. */
    public static byte[] serialize(Map<String, Tensor> tensors, Map<String, String> metadata) {
        List<Map.Entry<String, Tensor>> sorted = new ArrayList<>(tensors.entrySet());
        sorted.sort(Comparator.comparingInt((Map.Entry<String, Tensor> e) -> order(e.getValue().dtype()))
                .thenComparing(Map.Entry::getKey));
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            header.put("__metadata__", new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : sorted) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("a tensor cannot be named __metadata__");
            }
            Tensor t = e.getValue();
            long size = (long) t.numel() * t.dtype().itemSize();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", code(t.dtype()));
            List<Object> shape = new ArrayList<>();
            for (int s : t.shape()) {
                shape.add((long) s);
            }
            info.put("shape", shape);
            info.put("data_offsets", List.of(offset, offset + size));
            header.put(e.getKey(), info);
            offset += size;
        }
        byte[] h = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - h.length % 8) % 8;
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + pad + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length + pad);
        out.put(h);
        for (int i = 0; i < pad; i++) {
            out.put((byte) ' ');
        }
        for (Map.Entry<String, Tensor> e : sorted) {
            Tensor t = e.getValue();
            switch (t.dtype()) {
                case FLOAT32: for (float v : t.toFloatArray()) { out.putFloat(v); } break;
                case FLOAT64: for (double v : t.toDoubleArray()) { out.putDouble(v); } break;
                case INT64: for (long v : t.toLongArray()) { out.putLong(v); } break;
                default: for (double v : t.toDoubleArray()) { out.put((byte) (v != 0 ? 1 : 0)); } break;
            }
        }
        return out.array();
    }
}
