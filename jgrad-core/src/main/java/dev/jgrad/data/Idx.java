package dev.jgrad.data;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST ({@code train-images-idx3-ubyte}, optionally
 * gzip-compressed, detected by its first bytes): a magic number {@code 0x00 0x00 TYPE DIMS}, DIMS
 * big-endian 32-bit sizes, then the values big-endian in row-major order. Types: 0x08 unsigned
 * byte, 0x09 signed byte, 0x0B int16, 0x0C int32 (read as int64), 0x0D float32, 0x0E float64.
 * Truncated or oversized data, a wrong magic number and unknown types are
 * {@link DataFormatException}s that name the file and what was found.
 * <pre>{@code
 * Tensor images = Idx.readScaled(Path.of("train-images-idx3-ubyte.gz"), 255); // float32 [60000, 28, 28] in [0, 1]
 * Tensor labels = Idx.read(Path.of("train-labels-idx1-ubyte.gz"));            // int64 [60000]
 * }</pre>
 */
public final class Idx {
    private Idx() {
    }

    /** The header of an IDX file: type code and dimensions. */
    public record Header(int type, int[] shape, int dataOffset) {
        /** Number of values. */
        public long count() {
            long n = 1;
            for (int s : shape) {
                n *= s;
            }
            return n;
        }
    }

    /** The values of an IDX file: integer types as int64, 0x0D as float32, 0x0E as float64. */
    public static Tensor read(Path file) throws IOException {
        byte[] bytes = bytes(file);
        Header h = header(bytes, file.toString());
        DType dtype = h.type() == 0x0D ? DType.FLOAT32 : h.type() == 0x0E ? DType.FLOAT64 : DType.INT64;
        Tensor t = Tensor.empty(dtype, h.shape());
        ByteBuffer buf = ByteBuffer.wrap(bytes, h.dataOffset(), bytes.length - h.dataOffset()).order(ByteOrder.BIG_ENDIAN);
        int n = (int) h.count();
        switch (dtype) {
            case FLOAT32: {
                float[] d = t.storage().floats();
                for (int i = 0; i < n; i++) {
                    d[i] = buf.getFloat();
                }
                break;
            }
            case FLOAT64: {
                double[] d = t.storage().doubles();
                for (int i = 0; i < n; i++) {
                    d[i] = buf.getDouble();
                }
                break;
            }
            default: {
                long[] d = t.storage().longs();
                for (int i = 0; i < n; i++) {
                    d[i] = integer(buf, h.type());
                }
            }
        }
        return t;
    }

    /**
     * The values of an IDX file as float32 divided by {@code divisor} (rounded once, as
     * {@code tensor.float().div(divisor)}; 255 gives torchvision's {@code ToTensor()} pixels in [0, 1]).
     */
    public static Tensor readScaled(Path file, double divisor) throws IOException {
        byte[] bytes = bytes(file);
        Header h = header(bytes, file.toString());
        Tensor t = Tensor.empty(DType.FLOAT32, h.shape());
        float[] d = t.storage().floats();
        float div = (float) divisor;
        ByteBuffer buf = ByteBuffer.wrap(bytes, h.dataOffset(), bytes.length - h.dataOffset()).order(ByteOrder.BIG_ENDIAN);
        int n = (int) h.count();
        if (h.type() == 0x08) {
            int off = h.dataOffset();
            for (int i = 0; i < n; i++) {
                d[i] = (bytes[off + i] & 0xff) / div;
            }
        } else {
            for (int i = 0; i < n; i++) {
                double v = h.type() == 0x0D ? buf.getFloat() : h.type() == 0x0E ? buf.getDouble() : integer(buf, h.type());
                d[i] = (float) v / div;
            }
        }
        return t;
    }

    /** The type code of an IDX file (0x08 for unsigned bytes...), reading only its first bytes. */
    public static int typeCode(Path file) throws IOException {
        byte[] head;
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = new java.io.BufferedInputStream(raw);
            in.mark(2);
            int a = in.read();
            int b = in.read();
            in.reset();
            if (a == 0x1f && b == 0x8b) {
                in = new GZIPInputStream(in);
            }
            head = in.readNBytes(4);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + ": no such file");
        } catch (EOFException | ZipException e) {
            throw new DataFormatException(file + ": truncated or corrupt gzip file", e);
        }
        if (head.length < 4 || head[0] != 0 || head[1] != 0) {
            header(head, file.toString()); // throws the precise error
        }
        return head[2] & 0xff;
    }

    private static long integer(ByteBuffer buf, int type) {
        switch (type) {
            case 0x08: return buf.get() & 0xff;
            case 0x09: return buf.get();
            case 0x0B: return buf.getShort();
            default: return buf.getInt();
        }
    }

    private static int itemSize(int type) {
        switch (type) {
            case 0x08: case 0x09: return 1;
            case 0x0B: return 2;
            case 0x0C: case 0x0D: return 4;
            case 0x0E: return 8;
            default: return -1;
        }
    }

    /** Parses and checks the header of {@code bytes} (the decompressed file); {@code source} names it in errors. */
    public static Header header(byte[] bytes, String source) throws DataFormatException {
        if (bytes.length < 4) {
            throw new DataFormatException(source + ": truncated IDX file: " + bytes.length + " bytes, too short for the 4-byte magic number");
        }
        int magic = ByteBuffer.wrap(bytes, 0, 4).getInt();
        if (bytes[0] != 0 || bytes[1] != 0) {
            throw new DataFormatException(source + ": not an IDX file: the magic number is " + String.format("0x%08x", magic)
                    + " (expected 0x0000 then a type code and the number of dimensions, e.g. 0x00000803)");
        }
        int type = bytes[2] & 0xff;
        int dims = bytes[3] & 0xff;
        int size = itemSize(type);
        if (size < 0) {
            throw new DataFormatException(source + ": unknown IDX type code " + String.format("0x%02x", type)
                    + " in the magic number " + String.format("0x%08x", magic) + " (known: 0x08 ubyte, 0x09 byte, 0x0b short, "
                    + "0x0c int, 0x0d float, 0x0e double)");
        }
        int dataOffset = 4 + 4 * dims;
        if (bytes.length < dataOffset) {
            throw new DataFormatException(source + ": truncated IDX file: the header declares " + dims + " dimensions ("
                    + dataOffset + " header bytes) but the file has " + bytes.length + " bytes");
        }
        int[] shape = new int[dims];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        long count = 1;
        for (int i = 0; i < dims; i++) {
            int s = b.getInt(4 + 4 * i);
            if (s < 0) {
                throw new DataFormatException(source + ": dimension " + i + " of the IDX header is " + Integer.toUnsignedString(s)
                        + ", larger than jgrad can hold (2^31 - 1)");
            }
            shape[i] = s;
            count *= s;
            if (count > Integer.MAX_VALUE) {
                throw new DataFormatException(source + ": the IDX header declares more than 2^31 - 1 values, which jgrad cannot hold");
            }
        }
        long expected = count * size;
        long actual = bytes.length - dataOffset;
        if (actual != expected) {
            throw new DataFormatException(source + ": " + (actual < expected ? "truncated IDX file" : "IDX file has trailing bytes")
                    + ": the header declares " + shapeText(shape) + " = " + count + " values of " + size + " byte"
                    + (size == 1 ? "" : "s") + " (" + expected + " bytes of data after the " + dataOffset + "-byte header) but "
                    + actual + " bytes follow");
        }
        return new Header(type, shape, dataOffset);
    }

    private static String shapeText(int[] shape) {
        if (shape.length == 0) {
            return "a scalar";
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : "x").append(shape[i]);
        }
        return s.toString();
    }

    /** The bytes of {@code file}, decompressed if it starts with the gzip magic number 1f 8b. */
    static byte[] bytes(Path file) throws IOException {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + ": no such file");
        }
        if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 1 << 16)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(32, raw.length * 4));
                in.transferTo(out);
                return out.toByteArray();
            } catch (EOFException e) {
                throw new DataFormatException(file + ": truncated gzip file (the compressed data ends early)", e);
            } catch (ZipException e) {
                throw new DataFormatException(file + ": corrupt gzip file: " + e.getMessage(), e);
            }
        }
        return raw;
    }
}
