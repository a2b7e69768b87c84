package dev.jgrad.cli;

import dev.jgrad.Tensor;
import dev.jgrad.io.Safetensors;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** Reading the commands' input files with messages that name the file. */
final class CliFiles {
    private CliFiles() {
    }

    /** A model spec; errors name the file and the line, column or layer index. */
    static ModelSpec loadSpec(Path file) throws IOException {
        requireFile(file);
        return ModelSpec.load(file);
    }

    /** Loads {@code file}'s tensors into {@code model} strictly; errors name the file and the key. */
    static void loadWeights(Module model, Path file) throws IOException {
        requireFile(file);
        Map<String, Tensor> state = Safetensors.load(file);
        try {
            model.loadStateDict(state, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static void requireFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": not a file");
        }
    }
}
