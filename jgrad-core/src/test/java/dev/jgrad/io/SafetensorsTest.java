package dev.jgrad.io;

import static dev.jgrad.testing.TensorAssert.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Sigmoid;
import dev.jgrad.testing.Golden;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * safetensors files written by the Python library are read exactly, jgrad writes the same bytes,
 * and every malformed header is rejected with a message naming the file and the place
 * (golden files: {@code golden/safetensors/generate.py}).
 */
class SafetensorsTest {
    private static final JsonNode EXPECTED = Golden.load("/golden/safetensors/expected.json");

    @TempDir
    Path dir;

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SafetensorsTest.class.getResourceAsStream("/golden/safetensors/" + name)) {
            return in.readAllBytes();
        }
    }

    static Stream<String> files() {
        Stream.Builder<String> b = Stream.builder();
        EXPECTED.fieldNames().forEachRemaining(b::add);
        return b.build();
    }

    @ParameterizedTest
    @MethodSource("files")
    void readsFilesWrittenByPython(String file) throws IOException {
        Safetensors.Contents c = Safetensors.deserialize(resource(file), file);
        JsonNode want = EXPECTED.get(file);
        assertThat(c.tensors().keySet()).containsExactlyInAnyOrderElementsOf(() -> want.get("tensors").fieldNames());
        for (Iterator<Map.Entry<String, JsonNode>> it = want.get("tensors").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertClose(c.tensors().get(e.getKey()), Golden.tensor(e.getValue()), 0, 0, file + " " + e.getKey());
        }
        Map<String, String> meta = new LinkedHashMap<>();
        want.get("metadata").fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
        assertThat(c.metadata()).isEqualTo(meta);
    }

    @ParameterizedTest
    @MethodSource("writableFiles")
    void writesTheSameBytesAsPython(String file) throws IOException {
        byte[] python = resource(file);
        Safetensors.Contents c = Safetensors.deserialize(python, file);
        assertThat(Safetensors.serialize(c.tensors(), c.metadata())).isEqualTo(python);
    }

    static Stream<String> writableFiles() {
        return Stream.of("writable.safetensors", "sequential_state.safetensors");
    }

    @Test
    void saveAndLoadRoundTripAtomically() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("a", Jgrad.tensor(new double[][] {{1.5, -2}, {3, 4}}));
        t.put("b", Jgrad.tensor(new long[] {7, -8}));
        t.put("t", Jgrad.tensor(new double[][] {{1, 2, 3}, {4, 5, 6}}).t()); // non-contiguous
        Path f = dir.resolve("x.safetensors");
        Safetensors.save(t, Map.of("format", "pt"), f);
        Safetensors.Contents back = Safetensors.read(f);
        assertThat(back.metadata()).containsEntry("format", "pt");
        for (String k : t.keySet()) {
            assertClose(back.tensors().get(k), t.get(k).contiguous(), 0, 0, k);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).containsExactly(f); // no temporary file left
        }
    }

    @Test
    void aFailedSaveLeavesTheOldFileIntact() throws IOException {
        Path f = dir.resolve("keep.safetensors");
        Safetensors.save(Map.of("w", Jgrad.ones(2)), f);
        byte[] before = Files.readAllBytes(f);
        assertThatThrownBy(() -> Safetensors.save(Map.of("__metadata__", Jgrad.ones(2)), f))
                .hasMessage("a tensor cannot be named __metadata__");
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).containsExactly(f);
        }
    }

    @Test
    void loadsAPyTorchStateDictIntoASequential() throws IOException {
        Sequential model = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1), new Sigmoid());
        Map<String, Tensor> state = Safetensors.deserialize(resource("sequential_state.safetensors"), "state").tensors();
        assertThat(model.stateDict().keySet()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
        model.loadStateDict(state);
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            assertClose(e.getValue(), state.get(e.getKey()), 0, 0, e.getKey());
        }
    }

    @Test
    void loadStateDictReportsMismatchesAsPyTorch() {
        Sequential model = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("0.weight", Jgrad.zeros(3, 3));
        bad.put("2.bias", Jgrad.zeros(1));
        bad.put("foo", Jgrad.zeros(1));
        // message captured from PyTorch 1.13's load_state_dict with the same model and dict
        assertThatThrownBy(() -> model.loadStateDict(bad)).hasMessage("Error(s) in loading state_dict for Sequential:\n"
                + "\tMissing key(s) in state_dict: \"0.bias\", \"2.weight\". \n"
                + "\tUnexpected key(s) in state_dict: \"foo\". \n"
                + "\tsize mismatch for 0.weight: copying a param with shape torch.Size([3, 3]) from checkpoint, "
                + "the shape in current model is torch.Size([3, 2]).");
        Map<String, Tensor> partial = new LinkedHashMap<>();
        partial.put("0.weight", Jgrad.zeros(3, 2));
        partial.put("foo", Jgrad.zeros(1));
        assertThat(model.loadStateDict(partial, false).toString())
                .isEqualTo("_IncompatibleKeys(missing_keys=['0.bias', '2.weight', '2.bias'], unexpected_keys=['foo'])");
        assertThat(model.stateDict().get("0.weight").toDoubleArray()).containsOnly(0.0);
    }

    // ------------------------------------------------------------------ malformed files

    private static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    static Stream<Arguments> malformed() {
        String ok = "\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]";
        byte[] hugeLength = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array();
        return Stream.of(
                Arguments.of("too short", new byte[5], "f.st: file is 5 bytes, too short for the 8-byte header length"),
                Arguments.of("header length past the end", hugeLength, "f.st: header length 1099511627776 is invalid (file has 8 bytes after the length; at most 100000000 allowed)"),
                Arguments.of("not an object", file("[1,2]", 0), "f.st: header does not start with '{'"),
                Arguments.of("bad JSON", file("{\"a\":{" + ok + "}", 8), "f.st: header: invalid JSON at offset 53: expected '}'"),
                Arguments.of("duplicate key", file("{\"a\":{" + ok + "},\"a\":{" + ok + "}}", 8), "f.st: header: invalid JSON at offset 54: duplicate key \"a\""),
                Arguments.of("unknown dtype", file("{\"a\":{\"dtype\":\"F8\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "f.st: tensor 'a': unsupported dtype F8"),
                Arguments.of("unknown key", file("{\"a\":{" + ok + ",\"x\":1}}", 8), "f.st: tensor 'a': unknown key \"x\""),
                Arguments.of("missing shape", file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8), "f.st: tensor 'a': missing or non-array shape"),
                Arguments.of("negative dimension", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8), "f.st: tensor 'a': shape entry 0 is not a non-negative integer: -2"),
                Arguments.of("offsets out of range", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4), "f.st: tensor 'a': data_offsets [0, 8] are out of range (data has 4 bytes)"),
                Arguments.of("size does not match shape", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "f.st: tensor 'a': data_offsets [0, 8] span 8 bytes but dtype F32 and shape [3] need 12"),
                Arguments.of("overlap", file("{\"a\":{" + ok + "},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "f.st: tensor 'b': data_offsets [4, 8] overlap the previous tensor's data (which ends at 8)"),
                Arguments.of("gap", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "f.st: tensor 'a': data_offsets [4, 8] leave a gap after byte 0"),
                Arguments.of("trailing data", file("{\"a\":{" + ok + "}}", 12), "f.st: the tensors cover 8 bytes of data but the file has 12 bytes after the header"),
                Arguments.of("metadata not strings", file("{\"__metadata__\":{\"n\":1}}", 0), "f.st: __metadata__ value of \"n\" is not a string"),
                Arguments.of("offsets not a pair", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8), "f.st: tensor 'a': data_offsets must be two integers [begin, end]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedFiles(String what, byte[] bytes, String message) {
        assertThatThrownBy(() -> Safetensors.deserialize(bytes, "f.st")).isInstanceOf(SafetensorsException.class).hasMessage(message);
    }

    @Test
    void errorsFromDiskNameThePath() throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, new byte[3]);
        assertThatThrownBy(() -> Safetensors.load(f)).hasMessage(f + ": file is 3 bytes, too short for the 8-byte header length");
    }
}
