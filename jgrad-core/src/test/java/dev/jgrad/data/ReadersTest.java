package dev.jgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jgrad.DType;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.testing.Golden;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IDX and .npy readers against files written by Python ({@code golden/data/generate.py}: struct
 * and gzip for IDX, {@code numpy.save} for .npy) and every malformed-input case with its message.
 */
class ReadersTest {
    @TempDir
    Path tmp;

    static Path golden(String name) {
        try {
            return Path.of(ReadersTest.class.getResource("/golden/data/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static int[] shape(JsonNode c) {
        int[] s = new int[c.get("shape").size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = c.get("shape").get(i).asInt();
        }
        return s;
    }

    static double[] values(JsonNode node) {
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Golden.number(node.get(i));
        }
        return v;
    }

    @Test
    void idxGoldenFiles() throws IOException {
        for (JsonNode c : Golden.load("/golden/data/idx.json")) {
            String file = c.get("file").asText();
            Tensor t = Idx.read(golden("idx/" + file));
            assertThat(t.shape()).as(file).containsExactly(shape(c));
            boolean floats = file.startsWith("float") || file.startsWith("double");
            assertThat(t.dtype()).as(file).isEqualTo(file.startsWith("float") ? DType.FLOAT32 : floats ? DType.FLOAT64 : DType.INT64);
            if (floats) {
                assertThat(t.toDoubleArray()).as(file).containsExactly(values(c.get("values")));
            } else {
                long[] want = new long[c.get("values").size()];
                for (int i = 0; i < want.length; i++) {
                    want[i] = c.get("values").get(i).asLong();
                }
                assertThat(t.toLongArray()).as(file).containsExactly(want);
            }
            Tensor scaled = Idx.readScaled(golden("idx/" + file), 255);
            assertThat(scaled.dtype()).isEqualTo(DType.FLOAT32);
            assertThat(scaled.toDoubleArray()).as("%s / 255 as torch's float().div(255)", file)
                    .containsExactly(values(c.get("scaled255")));
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    @Test
    void malformedIdx() throws IOException {
        byte[] good = Files.readAllBytes(golden("idx/images-idx3-ubyte"));
        assertThatThrownBy(() -> Idx.read(write("short", new byte[] {0, 0, 8})))
                .isInstanceOf(DataFormatException.class).hasMessageEndingWith("short: truncated IDX file: 3 bytes, too short for the 4-byte magic number");
        byte[] magic = good.clone();
        magic[0] = 0x1f;
        magic[1] = 0x7b;
        assertThatThrownBy(() -> Idx.read(write("magic", magic))).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("magic: not an IDX file: the magic number is 0x1f7b0803 (expected 0x0000 then a type code");
        byte[] type = good.clone();
        type[2] = 0x0A;
        assertThatThrownBy(() -> Idx.read(write("type", type)))
                .hasMessageContaining("type: unknown IDX type code 0x0a in the magic number 0x00000a03");
        assertThatThrownBy(() -> Idx.read(write("header", Arrays.copyOf(good, 10))))
                .hasMessageContaining("header: truncated IDX file: the header declares 3 dimensions (16 header bytes) but the file has 10 bytes");
        assertThatThrownBy(() -> Idx.read(write("data", Arrays.copyOf(good, good.length - 1))))
                .hasMessageContaining("data: truncated IDX file: the header declares 3x4x5 = 60 values of 1 byte (60 bytes of data after the "
                        + "16-byte header) but 59 bytes follow");
        assertThatThrownBy(() -> Idx.read(write("long", Arrays.copyOf(good, good.length + 2))))
                .hasMessageContaining("long: IDX file has trailing bytes: the header declares 3x4x5 = 60 values");
        byte[] gz = gzip(good);
        assertThatThrownBy(() -> Idx.read(write("cut.gz", Arrays.copyOf(gz, gz.length - 12))))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("cut.gz: truncated gzip file (the compressed data ends early)");
        byte[] corrupt = gz.clone();
        corrupt[12] ^= 0x55;
        assertThatThrownBy(() -> Idx.read(write("bad.gz", corrupt)))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("bad.gz: ");
        assertThatThrownBy(() -> Idx.read(tmp.resolve("missing"))).isInstanceOf(NoSuchFileException.class)
                .hasMessageEndingWith("missing: no such file");
        // a gzip file whose content is truncated IDX data names the file, too
        assertThatThrownBy(() -> Idx.read(write("data.gz", gzip(Arrays.copyOf(good, 40)))))
                .hasMessageContaining("data.gz: truncated IDX file");
    }

    @Test
    void npyGoldenFiles() throws IOException {
        JsonNode g = Golden.load("/golden/data/npy.json");
        for (JsonNode c : g.get("read")) {
            String file = c.get("file").asText();
            Tensor t = Npy.read(golden("npy/" + file));
            assertThat(t.shape()).as(file).containsExactly(shape(c));
            String dt = c.get("dtype").asText();
            DType want = dt.equals("f8") ? DType.FLOAT64 : dt.startsWith("f") ? DType.FLOAT32 : dt.equals("b1") ? DType.BOOL : DType.INT64;
            assertThat(t.dtype()).as(file).isEqualTo(want);
            if (want == DType.INT64) {
                long[] w = new long[c.get("values").size()];
                for (int i = 0; i < w.length; i++) {
                    w[i] = c.get("values").get(i).asLong();
                }
                assertThat(t.toLongArray()).as(file).containsExactly(w);
            } else {
                assertThat(t.toDoubleArray()).as(file).containsExactly(values(c.get("values")));
            }
        }
        for (JsonNode c : g.get("written")) {
            String file = c.get("file").asText();
            Tensor t = Npy.read(golden("npy/" + file));
            assertThat(Npy.serialize(t)).as("numpy.save's bytes for %s", file).isEqualTo(Files.readAllBytes(golden("npy/" + file)));
        }
        Path p = tmp.resolve("round.npy");
        Tensor x = Jgrad.randn(new dev.jgrad.Generator(1), 3, 4);
        Npy.write(p, x);
        assertThat(Npy.read(p).toFloatArray()).containsExactly(x.toFloatArray());
    }

    private Path npy(String name, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = new byte[10 + h.length + dataBytes];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
        System.arraycopy(magic, 0, b, 0, 8);
        b[8] = (byte) h.length;
        b[9] = (byte) (h.length >> 8);
        System.arraycopy(h, 0, b, 10, h.length);
        return write(name, b);
    }

    @Test
    void malformedNpy() throws IOException {
        byte[] good = Files.readAllBytes(golden("npy/f4.npy"));
        assertThatThrownBy(() -> Npy.read(write("x.npy", "hello".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(DataFormatException.class).hasMessageEndingWith("x.npy: not a .npy file: it does not start with the magic string \\x93NUMPY");
        byte[] v9 = good.clone();
        v9[6] = 9;
        assertThatThrownBy(() -> Npy.read(write("v9.npy", v9))).hasMessageContaining("v9.npy: unsupported .npy format version 9.0");
        assertThatThrownBy(() -> Npy.read(write("head.npy", Arrays.copyOf(good, 40))))
                .hasMessageContaining("head.npy: truncated .npy file: the header of 118 bytes runs past the end of the file (40 bytes)");
        assertThatThrownBy(() -> Npy.read(write("data.npy", Arrays.copyOf(good, good.length - 3))))
                .hasMessageContaining("data.npy: truncated .npy file: shape [2, 3] of '<f4' needs 24 bytes of data but 21 follow the header");
        assertThatThrownBy(() -> Npy.read(npy("obj.npy", "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }\n", 16)))
                .hasMessageContaining("obj.npy: unsupported .npy dtype '|O' (supported: f2 f4 f8, i1 i2 i4 i8, u1 u2 u4 u8, b1)");
        assertThatThrownBy(() -> Npy.read(npy("c8.npy", "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }\n", 8)))
                .hasMessageContaining("unsupported .npy dtype '<c8'");
        assertThatThrownBy(() -> Npy.read(npy("rec.npy", "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }\n", 4)))
                .hasMessageContaining("structured arrays are not supported");
        assertThatThrownBy(() -> Npy.read(npy("noshape.npy", "{'descr': '<f4', 'fortran_order': False, }\n", 4)))
                .hasMessageContaining("noshape.npy: the .npy header has no 'shape'");
        assertThatThrownBy(() -> Npy.read(npy("syntax.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1,) \n", 4)))
                .hasMessageContaining("syntax.npy: malformed .npy header").hasMessageContaining("expected ',' or '}' at character");
        assertThatThrownBy(() -> Npy.read(npy("neg.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }\n", 4)))
                .hasMessageContaining("'shape' must be a tuple of non-negative integers, not [-1]");
    }

    @Test
    void npyBoolsMustBeZeroOrOne() throws IOException {
        byte[] h = "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }\n".getBytes(StandardCharsets.ISO_8859_1);
        Path p = npy("b.npy", new String(h, StandardCharsets.ISO_8859_1), 2);
        byte[] b = Files.readAllBytes(p);
        b[b.length - 1] = 7;
        Files.write(p, b);
        assertThatThrownBy(() -> Npy.read(p)).hasMessageContaining("b.npy: value 1 of a bool array is 7, not 0 or 1");
    }
}
