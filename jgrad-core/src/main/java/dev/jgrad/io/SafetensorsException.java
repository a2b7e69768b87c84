package dev.jgrad.io;

import java.io.IOException;

/**
 * A safetensors file that cannot be read: the message names the file and the place (header
 * offset or tensor name) and what is wrong.
 */
public class SafetensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    public SafetensorsException(String message) {
        super(message);
    }
}
