package dev.jgrad.explain;

final class MarkdownWriter {
    private final Fmt fmt;

    MarkdownWriter(Fmt fmt) {
        this.fmt = fmt;
    }

    String write(ExplainTrace t) {
        return "";
    }
}
