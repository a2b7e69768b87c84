package dev.jgrad.data;

import java.io.IOException;

/**
 * A data file that cannot be read: the message names the file and the place (byte offset, line,
 * column) and says what was expected.
 * <pre>{@code
 * try { Idx.read(path); } catch (DataFormatException e) { System.err.println(e.getMessage()); }
 * // train-images.gz: not an IDX file: the magic number is 0x1f8b0808 (expected 0x0000 then a type code ...)
 * }</pre>
 */
public class DataFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
