package dev.jgrad.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Output files written all or nothing: each is first written to a temporary file in its target's
 * folder, and only {@link #commit()} renames them into place; closing without a commit deletes
 * the temporary files, so a failed command leaves no output behind.
 * <pre>{@code
 * try (StagedFiles out = new StagedFiles()) { out.stage(path, bytes); out.commit(); }
 * }</pre>
 */
final class StagedFiles implements AutoCloseable {
    private final List<Path[]> staged = new ArrayList<>();

    /** Writes {@code bytes} to a temporary file beside {@code target} (synced to disk). */
    void stage(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(target + ": cannot write: folder " + dir + " does not exist");
        }
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        staged.add(new Path[] {tmp, target});
        readableByAll(tmp);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /** Temporary files are created rw-------; outputs get rw-r--r-- as files a program writes usually do. */
    private static void readableByAll(Path tmp) {
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: keep the default
        }
    }

    /** Renames every staged file onto its target (atomically where the file system can). */
    void commit() throws IOException {
        for (Path[] p : staged) {
            try {
                Files.move(p[0], p[1], StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(p[0], p[1], StandardCopyOption.REPLACE_EXISTING);
            }
        }
        staged.clear();
    }

    /** Deletes the temporary files not committed. */
    @Override
    public void close() {
        for (Path[] p : staged) {
            try {
                Files.deleteIfExists(p[0]);
            } catch (IOException ignored) {
                // best effort: nothing more can be done about a file that cannot be deleted
            }
        }
        staged.clear();
    }
}
