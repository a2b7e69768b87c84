package dev.jgrad.data;

import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Batches of a {@link Dataset}, as PyTorch 1.13's single-process
 * {@code DataLoader(dataset, batch_size, shuffle, drop_last, generator)}, drawing from the
 * generators exactly as it does, so that a seeded run visits the examples in PyTorch's order:
 * <ul>
 * <li>each {@link #iterator()} (each epoch) first draws a base seed, 64 random bits modulo 2⁶³,
 *     from the loader's generator or, without one, from the default generator;</li>
 * <li>with shuffling, the first {@code next()} then permutes the examples: without a loader
 *     generator, {@code RandomSampler} draws a second seed from the default generator and uses
 *     {@code torch.randperm(n, generator=torch.Generator().manual_seed(seed))}; with one,
 *     {@code torch.randperm(n, generator=g)};</li>
 * <li>with shuffling and a loader generator, exhausting the sampler draws one more
 *     {@code randperm(n, generator=g)} (PyTorch's {@code RandomSampler} computes
 *     {@code randperm(n)[:num_samples % n]} after the last full pass, even when it is empty): while
 *     taking the last batch if it is a partial one that is kept, otherwise when the epoch's iterator
 *     finds no next batch. Without a loader generator that permutation comes from the sampler's
 *     private generator and changes nothing.</li>
 * </ul>
 * "The default generator" is PyTorch's global one: {@link Jgrad#defaultGenerator()}, or the
 * generator given to {@link Builder#defaultGenerator} (for a program that keeps its own). Batches
 * are consecutive slices of the order; the last one is smaller unless {@code dropLast}. With
 * {@link Builder#prefetch(int)} a background thread gathers up to that many batches ahead (it draws
 * no random numbers, so the order and values are the same). {@link #resume} continues an epoch from
 * a saved order and position (for checkpoints).
 * <pre>{@code
 * DataLoader loader = DataLoader.builder(new TensorDataset(x, y)).batchSize(128).shuffle(true).build();
 * for (List<Tensor> b : loader) { Tensor xb = b.get(0), yb = b.get(1); ... }
 * }</pre>
 */
public final class DataLoader implements Iterable<List<Tensor>> {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Generator generator;
    private final Generator defaultGenerator;
    private final int prefetch;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.generator = b.generator;
        this.defaultGenerator = b.defaultGenerator;
        this.prefetch = b.prefetch;
    }

    /** A builder with PyTorch's defaults: batch size 1, no shuffling, no drop-last, no prefetching. */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /** Options of a {@link DataLoader}. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private boolean dropLast;
        private Generator generator;
        private Generator defaultGenerator;
        private int prefetch;

        private Builder(Dataset dataset) {
            if (dataset == null) {
                throw new IllegalArgumentException("dataset is null");
            }
            this.dataset = dataset;
        }

        /** Examples per batch ({@code batch_size}, ≥ 1). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size=" + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Reshuffle at every epoch ({@code shuffle=True}). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Drop the last batch of an epoch when it is smaller than the batch size ({@code drop_last=True}). */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** The loader's own generator ({@code generator=g}): base seeds and permutations are drawn from it. */
        public Builder generator(Generator generator) {
            this.generator = generator;
            return this;
        }

        /** The generator that plays PyTorch's global one (default: {@link Jgrad#defaultGenerator()}). */
        public Builder defaultGenerator(Generator defaultGenerator) {
            this.defaultGenerator = defaultGenerator;
            return this;
        }

        /** Gather up to {@code batches} batches ahead on a background thread (0: none, the default). */
        public Builder prefetch(int batches) {
            if (batches < 0) {
                throw new IllegalArgumentException("prefetch must not be negative, got " + batches);
            }
            this.prefetch = batches;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this);
        }
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean shuffle() {
        return shuffle;
    }

    public boolean dropLast() {
        return dropLast;
    }

    /** Batches per epoch ({@code len(loader)}). */
    public int size() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    private Generator global() {
        return defaultGenerator != null ? defaultGenerator : Jgrad.defaultGenerator();
    }

    /** One epoch: draws the base seed now and the order on the first {@code hasNext()}/{@code next()}. */
    @Override
    public Epoch iterator() {
        Generator g = generator != null ? generator : global();
        g.randomInt64(); // _BaseDataLoaderIter._base_seed
        return new Epoch(null, 0);
    }

    /**
     * Continues an epoch whose order was {@code order} after {@code batchesDone} batches, drawing
     * nothing: with the generators' states restored too, the rest of the run is as if it had
     * never stopped.
     */
    public Epoch resume(long[] order, int batchesDone) {
        if (order.length != dataset.size()) {
            throw new IllegalArgumentException("the saved epoch order has " + order.length + " indices but the data set has "
                    + dataset.size() + " examples");
        }
        if (batchesDone < 0 || batchesDone > size()) {
            throw new IllegalArgumentException("cannot resume after batch " + batchesDone + " of an epoch of " + size() + " batches");
        }
        return new Epoch(order.clone(), batchesDone);
    }

    /** The order of the examples in one epoch. */
    private long[] drawOrder() {
        int n = dataset.size();
        if (!shuffle) {
            long[] o = new long[n];
            for (int i = 0; i < n; i++) {
                o[i] = i;
            }
            return o;
        }
        if (generator != null) {
            return Jgrad.randperm(n, generator).toLongArray();
        }
        return Jgrad.randomSamplerPermutation(global(), n).toLongArray();
    }

    /**
     * The batches of one epoch. {@link #order()} and {@link #batchesDone()} are what a checkpoint
     * saves to {@link DataLoader#resume} later. Closing it stops the prefetch thread, if any.
     */
    public final class Epoch implements Iterator<List<Tensor>>, AutoCloseable {
        private long[] order;
        private int done;
        private final int batches = size();
        /** The sampler's empty trailing permutation has been drawn (only matters with a loader generator). */
        private boolean exhausted;
        private BlockingQueue<Object> queue;
        private Thread worker;

        private Epoch(long[] order, int done) {
            this.order = order;
            this.done = done;
            this.exhausted = done >= batches && partialLastBatch();
        }

        private boolean partialLastBatch() {
            return !dropLast && dataset.size() % batchSize != 0;
        }

        /** RandomSampler's trailing {@code randperm(n)[:0]}, drawn from the loader generator when there is one. */
        private void exhaust() {
            if (!exhausted) {
                exhausted = true;
                if (shuffle && generator != null) {
                    Jgrad.randperm(dataset.size(), generator);
                }
            }
        }

        private long[] ensureOrder() {
            if (order == null) {
                order = drawOrder();
            }
            return order;
        }

        /** The example order of this epoch (drawn now if it has not been yet); a copy. */
        public long[] order() {
            return ensureOrder().clone();
        }

        /** Batches returned so far (counting those before a resume). */
        public int batchesDone() {
            return done;
        }

        /** Batches in the epoch. */
        public int batches() {
            return batches;
        }

        /** The indices of batch {@code b}. */
        public long[] indices(int b) {
            long[] o = ensureOrder();
            int start = b * batchSize;
            return Arrays.copyOfRange(o, start, Math.min(start + batchSize, o.length));
        }

        @Override
        public boolean hasNext() {
            ensureOrder();
            if (done < batches) {
                return true;
            }
            exhaust();
            return false;
        }

        @Override
        public List<Tensor> next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the epoch has ended after " + batches + " batches");
            }
            if (done == batches - 1 && partialLastBatch()) {
                exhaust();
            }
            List<Tensor> batch = prefetch > 0 ? fromWorker() : dataset.batch(indices(done));
            done++;
            return batch;
        }

        @SuppressWarnings("unchecked")
        private List<Tensor> fromWorker() {
            if (worker == null) {
                startWorker();
            }
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a batch", e);
            }
            if (item instanceof RuntimeException) {
                throw (RuntimeException) item;
            }
            if (item instanceof Error) {
                throw (Error) item;
            }
            return (List<Tensor>) item;
        }

        private void startWorker() {
            queue = new ArrayBlockingQueue<>(prefetch);
            int first = done;
            worker = new Thread(() -> {
                try {
                    for (int b = first; b < batches; b++) {
                        Object item;
                        try {
                            item = dataset.batch(indices(b));
                        } catch (RuntimeException | Error e) {
                            queue.put(e);
                            return;
                        }
                        queue.put(item);
                    }
                } catch (InterruptedException e) {
                    // closed: stop gathering
                }
            }, "jgrad-dataloader-prefetch");
            worker.setDaemon(true);
            worker.start();
        }

        /** Stops the prefetch thread (if any) without waiting for the rest of the epoch. */
        @Override
        public void close() {
            if (worker != null) {
                worker.interrupt();
            }
        }
    }
}
