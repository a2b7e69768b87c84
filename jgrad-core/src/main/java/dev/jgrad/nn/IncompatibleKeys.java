package dev.jgrad.nn;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Keys that did not match in {@link Module#loadStateDict}: missing from the state dict, or not
 * parameters of the module (PyTorch's {@code _IncompatibleKeys}).
 * <pre>{@code
 * IncompatibleKeys r = model.loadStateDict(state, false);
 * r.missingKeys(); // e.g. ["linear3.bias"]
 * }</pre>
 */
public final class IncompatibleKeys {
    private final List<String> missingKeys;
    private final List<String> unexpectedKeys;

    IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {
        this.missingKeys = List.copyOf(missingKeys);
        this.unexpectedKeys = List.copyOf(unexpectedKeys);
    }

    public List<String> missingKeys() {
        return missingKeys;
    }

    public List<String> unexpectedKeys() {
        return unexpectedKeys;
    }

    @Override
    public String toString() {
        return "_IncompatibleKeys(missing_keys=" + pyList(missingKeys) + ", unexpected_keys=" + pyList(unexpectedKeys) + ")";
    }

    private static String pyList(List<String> l) {
        return l.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", ", "[", "]"));
    }
}
