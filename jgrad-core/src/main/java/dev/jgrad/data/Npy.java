package dev.jgrad.data;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0): the magic
 * {@code \x93NUMPY}, a version, a header that is a Python dict literal
 * ({@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}), then the raw values.
 * Read: floats {@code f2 f4 f8} (f2 as float32), signed and unsigned integers of 1, 2, 4 and 8
 * bytes (as int64; u8 values above 2⁶³−1 are an error), booleans; either byte order; C or Fortran
 * order. Written: float32 {@code <f4}, float64 {@code <f8}, int64 {@code <i8}, bool {@code |b1},
 * version 1.0, as {@code numpy.save} writes them. Malformed files are {@link DataFormatException}s
 * naming the file and the problem.
 * <pre>{@code
 * Tensor x = Npy.read(Path.of("x.npy"));
 * Npy.write(Path.of("y.npy"), x);
 * }</pre>
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private Npy() {
    }

    /** Reads an {@code .npy} file. */
    public static Tensor read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + ": no such file");
        }
        return parse(bytes, file.toString());
    }

    /** Parses the bytes of an {@code .npy} file; {@code source} names it in errors. */
    public static Tensor parse(byte[] bytes, String source) throws DataFormatException {
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= bytes.length || bytes[i] != MAGIC[i]) {
                throw new DataFormatException(source + ": not a .npy file: it does not start with the magic string \\x93NUMPY");
            }
        }
        if (bytes.length < 10) {
            throw new DataFormatException(source + ": truncated .npy file: " + bytes.length + " bytes, too short for the version and header length");
        }
        int major = bytes[6] & 0xff;
        int minor = bytes[7] & 0xff;
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = le.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new DataFormatException(source + ": truncated .npy file: too short for the 4-byte header length of version " + major);
            }
            headerLen = le.getInt(8) & 0xffffffffL;
            start = 12;
        } else {
            throw new DataFormatException(source + ": unsupported .npy format version " + major + "." + minor + " (known: 1.0, 2.0, 3.0)");
        }
        if (start + headerLen > bytes.length) {
            throw new DataFormatException(source + ": truncated .npy file: the header of " + headerLen + " bytes runs past the end of the file ("
                    + bytes.length + " bytes)");
        }
        String header = new String(bytes, start, (int) headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict;
        try {
            dict = new HeaderParser(header).dict();
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(source + ": malformed .npy header " + header.strip() + ": " + e.getMessage());
        }
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!dict.containsKey(key)) {
                throw new DataFormatException(source + ": the .npy header has no '" + key + "' (header: " + header.strip() + ")");
            }
        }
        if (!(dict.get("descr") instanceof String)) {
            throw new DataFormatException(source + ": unsupported .npy dtype " + dict.get("descr")
                    + " (structured arrays are not supported; expected a string such as '<f4')");
        }
        String descr = (String) dict.get("descr");
        if (!(dict.get("fortran_order") instanceof Boolean)) {
            throw new DataFormatException(source + ": 'fortran_order' must be True or False, not " + dict.get("fortran_order"));
        }
        boolean fortran = (Boolean) dict.get("fortran_order");
        if (!(dict.get("shape") instanceof List)) {
            throw new DataFormatException(source + ": 'shape' must be a tuple of integers, not " + dict.get("shape"));
        }
        List<?> shapeList = (List<?>) dict.get("shape");
        int[] shape = new int[shapeList.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            Object o = shapeList.get(i);
            if (!(o instanceof Long) || (Long) o < 0 || (Long) o > Integer.MAX_VALUE) {
                throw new DataFormatException(source + ": 'shape' must be a tuple of non-negative integers, not " + shapeList);
            }
            shape[i] = (int) (long) (Long) o;
            count *= shape[i];
            if (count > Integer.MAX_VALUE) {
                throw new DataFormatException(source + ": the array has more than 2^31 - 1 values, which jgrad cannot hold");
            }
        }
        if (descr.length() < 3 || "<>|=".indexOf(descr.charAt(0)) < 0) {
            throw new DataFormatException(source + ": unsupported .npy dtype '" + descr + "' (supported: f2 f4 f8, i1 i2 i4 i8, u1 u2 u4 u8, b1)");
        }
        char kind = descr.charAt(1);
        int size;
        try {
            size = Integer.parseInt(descr.substring(2));
        } catch (NumberFormatException e) {
            size = -1;
        }
        boolean ok = kind == 'f' && (size == 2 || size == 4 || size == 8) || (kind == 'i' || kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8)
                || kind == 'b' && size == 1;
        if (!ok) {
            throw new DataFormatException(source + ": unsupported .npy dtype '" + descr + "' (supported: f2 f4 f8, i1 i2 i4 i8, u1 u2 u4 u8, b1)");
        }
        int dataStart = (int) (start + headerLen);
        long expected = count * size;
        long actual = bytes.length - dataStart;
        if (actual != expected) {
            throw new DataFormatException(source + ": " + (actual < expected ? "truncated .npy file" : ".npy file has trailing bytes")
                    + ": shape " + shapeList + " of '" + descr + "' needs " + expected + " bytes of data but " + actual + " follow the header");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) actual)
                .order(descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        DType dtype = kind == 'f' ? (size == 8 ? DType.FLOAT64 : DType.FLOAT32) : kind == 'b' ? DType.BOOL : DType.INT64;
        // Fortran order: the values of the transposed shape in C order, then transposed back
        int[] stored = shape.clone();
        if (fortran) {
            for (int i = 0; i < shape.length; i++) {
                stored[i] = shape[shape.length - 1 - i];
            }
        }
        Tensor t = Tensor.empty(dtype, stored);
        int n = (int) count;
        switch (dtype) {
            case FLOAT64: {
                double[] d = t.storage().doubles();
                for (int i = 0; i < n; i++) {
                    d[i] = data.getDouble();
                }
                break;
            }
            case FLOAT32: {
                float[] d = t.storage().floats();
                for (int i = 0; i < n; i++) {
                    d[i] = size == 2 ? dev.jgrad.io.Half.toFloat(data.getShort()) : data.getFloat();
                }
                break;
            }
            case BOOL: {
                boolean[] d = t.storage().bools();
                for (int i = 0; i < n; i++) {
                    byte v = data.get();
                    if (v != 0 && v != 1) {
                        throw new DataFormatException(source + ": value " + i + " of a bool array is " + (v & 0xff) + ", not 0 or 1");
                    }
                    d[i] = v != 0;
                }
                break;
            }
            default: {
                long[] d = t.storage().longs();
                for (int i = 0; i < n; i++) {
                    long v;
                    switch (size) {
                        case 1: v = kind == 'u' ? data.get() & 0xff : data.get(); break;
                        case 2: v = kind == 'u' ? data.getShort() & 0xffff : data.getShort(); break;
                        case 4: v = kind == 'u' ? data.getInt() & 0xffffffffL : data.getInt(); break;
                        default:
                            v = data.getLong();
                            if (kind == 'u' && v < 0) {
                                throw new DataFormatException(source + ": value " + i + " of a uint64 array is "
                                        + Long.toUnsignedString(v) + ", larger than int64 can hold");
                            }
                    }
                    d[i] = v;
                }
            }
        }
        if (fortran && shape.length > 1) {
            int[] perm = new int[shape.length];
            for (int i = 0; i < perm.length; i++) {
                perm[i] = perm.length - 1 - i;
            }
            t = t.permute(perm).contiguous();
        }
        return t;
    }


    /** The bytes {@code numpy.save} writes for {@code t} (format 1.0, C order, little-endian). */
    public static byte[] serialize(Tensor t) {
        String descr;
        switch (t.dtype()) {
            case FLOAT32: descr = "<f4"; break;
            case FLOAT64: descr = "<f8"; break;
            case INT64: descr = "<i8"; break;
            default: descr = "|b1"; break;
        }
        StringBuilder shape = new StringBuilder("(");
        int[] s = t.shape();
        for (int i = 0; i < s.length; i++) {
            shape.append(i == 0 ? "" : ", ").append(s[i]);
        }
        shape.append(s.length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        int n = t.numel();
        ByteBuffer out = ByteBuffer.allocate(10 + header.length() + n * t.dtype().itemSize()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        switch (t.dtype()) {
            case FLOAT32: for (float v : t.toFloatArray()) { out.putFloat(v); } break;
            case FLOAT64: for (double v : t.toDoubleArray()) { out.putDouble(v); } break;
            case INT64: for (long v : t.toLongArray()) { out.putLong(v); } break;
            default: for (double v : t.toDoubleArray()) { out.put((byte) (v != 0 ? 1 : 0)); } break;
        }
        return out.array();
    }

    /** Writes {@code t} as {@code numpy.save} would (not atomically; see {@link dev.jgrad.io.Safetensors} for that). */
    public static void write(Path file, Tensor t) throws IOException {
        Files.write(file, serialize(t));
    }

    /** A parser of the Python literals a .npy header holds: dict, tuple, str, int, True/False. */
    private static final class HeaderParser {
        private final String s;
        private int i;

        HeaderParser(String s) {
            this.s = s;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> dict() {
            Object v = value();
            skip();
            if (i != s.length()) {
                throw error("unexpected text after the dict");
            }
            if (!(v instanceof Map)) {
                throw error("the header is not a dict");
            }
            return (Map<String, Object>) v;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at character " + (i + 1));
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            skip();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                while (true) {
                    skip();
                    if (i < s.length() && s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    Object k = value();
                    if (!(k instanceof String)) {
                        throw error("dict keys must be strings");
                    }
                    skip();
                    expect(':');
                    m.put((String) k, value());
                    skip();
                    if (i < s.length() && s.charAt(i) == ',') {
                        i++;
                    } else if (i >= s.length() || s.charAt(i) != '}') {
                        throw error("expected ',' or '}'");
                    }
                }
            }
            if (c == '(' || c == '[') {
                char close = c == '(' ? ')' : ']';
                i++;
                List<Object> l = new ArrayList<>();
                while (true) {
                    skip();
                    if (i < s.length() && s.charAt(i) == close) {
                        i++;
                        return l;
                    }
                    l.add(value());
                    skip();
                    if (i < s.length() && s.charAt(i) == ',') {
                        i++;
                    } else if (i >= s.length() || s.charAt(i) != close) {
                        throw error("expected ',' or '" + close + "'");
                    }
                }
            }
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) {
                    throw error("unterminated string");
                }
                String v = s.substring(i + 1, end);
                i = end + 1;
                return v;
            }
            if (s.startsWith("True", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            int start = i;
            if (c == '-' || c == '+') {
                i++;
            }
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (i > start && i < s.length() && s.charAt(i) == 'L') {
                i++; // Python 2 longs
                return Long.parseLong(s.substring(start, i - 1));
            }
            if (i == start || !Character.isDigit(s.charAt(i - 1))) {
                i = start;
                throw error("unexpected '" + c + "'");
            }
            try {
                return Long.parseLong(s.substring(start, i));
            } catch (NumberFormatException e) {
                i = start;
                throw error("integer out of range");
            }
        }

        private void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }
    }
}
