package dev.jgrad.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How {@code jgrad train} shows its progress: a live bar on the terminal (me.tongfei:progressbar,
 * on standard error: epoch, samples done, samples/s, ETA, batch and running loss), or plain lines
 * when the output is not a terminal (one at most every 5 seconds within an epoch), or none; the
 * epoch summaries go to standard output in every mode (unless {@code --quiet}).
 * <pre>{@code
 * Progress p = Progress.create("auto", out, false);
 * p.epochStart(1, 5, 469, 60000, 0); p.batch(1, 128, 0.69); p.epochEnd("epoch 1/5: ...");
 * }</pre>
 */
abstract class Progress implements AutoCloseable {
    final PrintWriter out;
    final boolean quiet;

    Progress(PrintWriter out, boolean quiet) {
        this.out = out;
        this.quiet = quiet;
    }

    /** {@code auto}: a bar when standard output and error are a terminal, plain lines otherwise. */
    static Progress create(String mode, PrintWriter out, boolean quiet, boolean outIsConsole) {
        switch (mode) {
            case "bar": return new Bar(out, quiet);
            case "plain": return new Plain(out, quiet, true);
            case "none": return new Plain(out, quiet, false);
            default: return outIsConsole && System.console() != null ? new Bar(out, quiet) : new Plain(out, quiet, true);
        }
    }

    /** An epoch begins (or resumes after {@code batchesDone} batches, {@code samplesDone} examples). */
    abstract void epochStart(int epoch, int epochs, int batches, long samples, int batchesDone, long samplesDone);

    /** Batch {@code index} (1-based) of {@code size} examples has been trained with this loss. */
    abstract void batch(int index, int size, double loss);

    /** The epoch has ended; {@code summary} is its line of results. */
    void epochEnd(String summary) {
        finishEpoch();
        line(summary);
    }

    void finishEpoch() {
    }

    /** A line for the user (unless quiet). */
    void line(String text) {
        if (!quiet) {
            out.println(text);
            out.flush();
        }
    }

    @Override
    public void close() {
        finishEpoch();
    }

    static String seconds(double s) {
        return s < 60 ? String.format(Locale.ROOT, "%.1fs", s) : String.format(Locale.ROOT, "%dm%02ds", (long) s / 60, (long) s % 60);
    }

    /** The live bar. */
    static final class Bar extends Progress {
        private ProgressBar bar;
        private int batches;
        private double lossSum;
        private int lossCount;

        Bar(PrintWriter out, boolean quiet) {
            super(out, quiet);
        }

        @Override
        void epochStart(int epoch, int epochs, int batches, long samples, int batchesDone, long samplesDone) {
            finishEpoch();
            this.batches = batches;
            lossSum = 0;
            lossCount = 0;
            bar = new ProgressBarBuilder().setTaskName("epoch " + epoch + "/" + epochs).setInitialMax(samples)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUnit(" samples", 1).showSpeed()
                    .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS).setUpdateIntervalMillis(250)
                    .startsFrom(samplesDone, Duration.ZERO).build();
            bar.setExtraMessage(" batch " + batchesDone + "/" + batches);
        }

        @Override
        void batch(int index, int size, double loss) {
            lossSum += loss;
            lossCount++;
            bar.stepBy(size);
            bar.setExtraMessage(String.format(Locale.ROOT, " batch %d/%d loss %.4f", index, batches, lossSum / lossCount));
        }

        @Override
        void finishEpoch() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }

    /** Plain lines: within an epoch, one at most every 5 seconds (unless {@code batchLines} is false). */
    static final class Plain extends Progress {
        private final boolean batchLines;
        private int epoch;
        private int epochs;
        private int batches;
        private long samples;
        private long seen;
        private long seenAtStart;
        private long start;
        private double lossSum;
        private int lossCount;
        private long lastLine;

        Plain(PrintWriter out, boolean quiet, boolean batchLines) {
            super(out, quiet);
            this.batchLines = batchLines;
        }

        @Override
        void epochStart(int epoch, int epochs, int batches, long samples, int batchesDone, long samplesDone) {
            this.epoch = epoch;
            this.epochs = epochs;
            this.batches = batches;
            this.samples = samples;
            this.seen = samplesDone;
            this.seenAtStart = samplesDone;
            this.start = System.nanoTime();
            lossSum = 0;
            lossCount = 0;
            lastLine = start;
        }

        @Override
        void batch(int index, int size, double loss) {
            seen += size;
            lossSum += loss;
            lossCount++;
            long now = System.nanoTime();
            if (batchLines && now - lastLine >= 5_000_000_000L && index < batches) {
                lastLine = now;
                double s = (now - start) / 1e9;
                double rate = (seen - seenAtStart) / Math.max(s, 1e-9);
                line(String.format(Locale.ROOT, "epoch %d/%d batch %d/%d: loss %.4f, %.0f samples/s, ETA %s", epoch, epochs, index,
                        batches, lossSum / lossCount, rate, seconds((samples - seen) / Math.max(rate, 1e-9))));
            }
        }
    }
}
