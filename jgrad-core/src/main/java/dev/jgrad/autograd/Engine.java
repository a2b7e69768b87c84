package dev.jgrad.autograd;

import dev.jgrad.Tensor;
import dev.jgrad.storage.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Runs the backward pass: reverse topological order over the graph without recursion (deep
 * graphs cannot overflow the stack), nodes created later run first as in PyTorch, gradients of
 * broadcast inputs summed back to the input shape in one place.
 */
final class Engine {
    static final String FREED_MESSAGE = "Trying to backward through the graph a second time (or directly access saved "
            + "tensors after they have already been freed). Saved intermediate values of the graph are freed when you "
            + "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph "
            + "a second time or if you need to access saved tensors after calling backward.";

    private Engine() {
    }

    /**
     * The nodes reachable from {@code root} in the order {@link #run} executes them when every
     * gradient flows: by dependency count, the most recently created first among the ready ones
     * ({@link #READY_ORDER}). Counts dependencies in a map of its own, so the nodes' per-pass
     * fields are left alone (safe even while a backward pass over the same graph is running).
     */
    static List<Node> order(Node root) {
        Map<Node, int[]> deps = new IdentityHashMap<>();
        deps.put(root, new int[1]);
        java.util.ArrayDeque<Node> stack = new java.util.ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (int i = 0; i < n.numInputs(); i++) {
                Node c = n.next(i);
                if (c == null) {
                    continue;
                }
                int[] d = deps.get(c);
                if (d == null) {
                    deps.put(c, new int[] {1});
                    stack.push(c);
                } else {
                    d[0]++;
                }
            }
        }
        List<Node> out = new ArrayList<>();
        PriorityQueue<Node> ready = new PriorityQueue<>(READY_ORDER);
        ready.add(root);
        while (!ready.isEmpty()) {
            Node node = ready.poll();
            out.add(node);
            for (int i = 0; i < node.numInputs(); i++) {
                Node child = node.next(i);
                if (child != null && --deps.get(child)[0] == 0) {
                    ready.add(child);
                }
            }
        }
        return out;
    }

    /**
     * Backpropagates {@code gradOutputs} from {@code outputs}. With {@code inputs == null}
     * gradients accumulate into leaves' {@code .grad}; otherwise nothing accumulates and the
     * gradients of {@code inputs} are returned (null for unused ones).
     */
    static Tensor[] run(Tensor[] outputs, Tensor[] gradOutputs, boolean retainGraph, boolean createGraph,
                        Tensor[] inputs) {
        Node[] roots = new Node[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            if (!outputs[i].requiresGrad()) {
                throw new IllegalStateException("element " + i + " of tensors does not require grad and does not have a grad_fn");
            }
            roots[i] = outputs[i].gradEdge();
        }
        // 1. Discover the graph: dependency counts (in the nodes) and, for explicit inputs, a post-order.
        long run = RUNS.incrementAndGet();
        long firstSerial = dev.jgrad.storage.Storage.nextSerial();
        List<Node> postOrder = inputs != null ? new ArrayList<>() : null;
        // gradient buffers live in this pass's own array, indexed by the nodes' slots: storing new
        // tensors into long-lived nodes (a leaf's AccumulateGrad) would cost a GC write barrier each
        Discovered graph = discover(roots, run, postOrder);
        Tensor[] buffers = new Tensor[graph.count];

        // 2. With explicit inputs, run only the nodes that lead to one of them.
        Map<Node, Integer> inputIndex = null;
        Map<Node, Boolean> needed = null;
        Tensor[] results = null;
        if (inputs != null) {
            inputIndex = new IdentityHashMap<>();
            for (int i = 0; i < inputs.length; i++) {
                if (!inputs[i].requiresGrad()) {
                    throw new IllegalStateException("One of the differentiated Tensors does not require grad");
                }
                inputIndex.put(inputs[i].gradEdge(), i);
            }
            needed = new IdentityHashMap<>();
            for (Node n : postOrder) {
                boolean need = inputIndex.containsKey(n);
                for (int i = 0; i < n.numInputs() && !need; i++) {
                    Node c = n.next(i);
                    need = c != null && needed.get(c);
                }
                needed.put(n, need);
            }
            results = new Tensor[inputs.length];
        }

        // 3. Execute in dependency order; among ready nodes the most recently created runs first.
        Ready ready = inputs == null && graph.sequenceOrdered ? new Ready(graph.bySequence()) : new Ready(null);
        for (int i = 0; i < roots.length; i++) {
            Tensor g = gradOutputs[i];
            if (!Arrays.equals(g.shapeRef(), outputs[i].shapeRef())) {
                throw new IllegalArgumentException("Mismatch in shape: grad_output[" + i + "] has a shape of torch.Size("
                        + Shapes.format(g.shape()) + ") and output[" + i + "] has a shape of torch.Size("
                        + Shapes.format(outputs[i].shape()) + ").");
            }
            accumulate(buffers, roots[i], g);
        }
        for (int i = 0; i < roots.length; i++) {
            Node r = roots[i];
            boolean seen = false;
            for (int j = 0; j < i && !seen; j++) {
                seen = roots[j] == r;
            }
            if (r.pending == 0 && !seen) {
                ready.add(r);
            }
        }
        boolean previous = GradMode.set(createGraph);
        try {
            while (!ready.isEmpty()) {
                Node node = ready.poll();
                check(node, run);
                Tensor grad = buffers[node.slot];
                buffers[node.slot] = null;
                if (needed != null && !needed.get(node)) {
                    continue;
                }
                if (node.retained() != null && grad != null) {
                    node.retained().accumulateGrad(grad, createGraph);
                }
                if (inputIndex != null && inputIndex.containsKey(node)) {
                    results[inputIndex.get(node)] = grad;
                    if (node.isAccumulateGrad()) {
                        continue;
                    }
                }
                if (node.isAccumulateGrad()) {
                    if (grad != null) {
                        node.variable().accumulateGrad(grad, createGraph, owned(grad, firstSerial, run));
                    }
                    continue;
                }
                Tensor[] inGrads = grad == null ? new Tensor[node.numInputs()]
                        : Fusion.apply(node, grad, createGraph, inputIndex, needed, buffers);
                if (!retainGraph) {
                    node.release();
                }
                for (int i = 0; i < node.numInputs(); i++) {
                    Node child = node.next(i);
                    if (child == null) {
                        continue;
                    }
                    check(child, run);
                    Tensor g = inGrads[i];
                    if (g != null && (needed == null || needed.get(child))) {
                        accumulate(buffers, child, reduceToInput(node, i, g));
                    }
                    if (--child.pending == 0) {
                        ready.add(child);
                    }
                }
            }
        } finally {
            GradMode.set(previous);
        }
        return results;
    }

    /**
     * True when {@code g} is a gradient buffer this pass created and nothing else can hold: its
     * storage is newer than the pass, whole and contiguous (a view of it, such as the transpose
     * back of a transposed product, stands for it), not part of a graph, and not
     * already handed to another leaf in this pass (a node may pass one tensor to several inputs).
     */
    private static boolean owned(Tensor g, long firstSerial, long run) {
        dev.jgrad.storage.Storage st = g.storage();
        return st.serial() >= firstSerial && g.storageOffset() == 0 && g.numel() == st.size() && g.isContiguous()
                && !g.requiresGrad() && st.claim(run);
    }

    private static final java.util.concurrent.atomic.AtomicLong RUNS = new java.util.concurrent.atomic.AtomicLong();
    /** Among nodes whose gradients are complete, the most recently created runs first (as PyTorch). */
    private static final java.util.Comparator<Node> READY_ORDER = (a, b) -> Long.compare(b.sequenceNr(), a.sequenceNr());

    /** A node's bookkeeping belongs to one pass at a time: a nested pass over the same graph is refused, not corrupted. */
    private static void check(Node n, long run) {
        if (n.runId != run) {
            throw new IllegalStateException("a backward pass over this graph ran inside another one (reentrant backward "
                    + "through the same nodes is not supported)");
        }
    }

    /** The one place where gradients of broadcast inputs are summed back and cast to the input's dtype. */
    private static Tensor reduceToInput(Node node, int i, Tensor g) {
        int[] shape = node.inputShapeRef(i);
        if (!Arrays.equals(g.shapeRef(), shape)) {
            if (!Shapes.broadcastsTo(shape, g.shapeRef())) {
                throw new IllegalStateException("Function " + node.name() + " returned an invalid gradient at index " + i
                        + " - got " + Shapes.format(g.shape()) + " but expected shape compatible with " + Shapes.format(shape));
            }
            g = GradMode.isEnabled() || !g.dtype().isFloatingPoint() ? g.sumToSize(shape) : dev.jgrad.kernel.Kernels.sumTo(g, shape);
        }
        if (g.dtype() != node.inputDType(i)) {
            g = g.to(node.inputDType(i));
        }
        return g;
    }

    private static void accumulate(Tensor[] buffers, Node node, Tensor g) {
        Tensor prev = buffers[node.slot];
        buffers[node.slot] = prev == null ? g : prev.add(g);
    }

    /**
     * The ready nodes of a pass, handed out most recently created first. With {@code sorted}: every
     * node of the graph in descending sequence number, which is that order itself when each node was
     * created after its inputs' nodes (then a node's users all come before it, so it is ready when
     * reached); otherwise a heap of the nodes made ready so far. Leaves' AccumulateGrad nodes, which
     * the heap runs as soon as they are ready (their number is the largest), come last in the sorted
     * order instead: they have no inputs, so when they run changes no value, only when a leaf's
     * {@code .grad} is written during the pass.
     */
    private static final class Ready {
        private final Node[] sorted;
        private int next;
        private final PriorityQueue<Node> heap;

        Ready(Node[] sorted) {
            this.sorted = sorted;
            this.heap = sorted == null ? new PriorityQueue<>(READY_ORDER) : null;
        }

        /** Node {@code n} has all its gradients. */
        void add(Node n) {
            if (heap != null) {
                heap.add(n);
            }
        }

        boolean isEmpty() {
            return heap != null ? heap.isEmpty() : next == sorted.length;
        }

        Node poll() {
            return heap != null ? heap.poll() : sorted[next++];
        }
    }

    /**
     * The nodes of a pass (op nodes and leaves' AccumulateGrad nodes apart, each in discovery
     * order), their number, and whether every edge into an op node leads to an older node.
     */
    private static final class Discovered {
        private Node[] ops = new Node[16];
        private int opCount;
        private Node[] leaves = new Node[16];
        private int leafCount;
        int count;
        boolean sequenceOrdered = true;

        /** Numbers node {@code n} (its slot) and keeps it. */
        void add(Node n) {
            n.slot = count++;
            if (n.isAccumulateGrad()) {
                if (leafCount == leaves.length) {
                    leaves = Arrays.copyOf(leaves, leafCount * 2);
                }
                leaves[leafCount++] = n;
            } else {
                if (opCount == ops.length) {
                    ops = Arrays.copyOf(ops, opCount * 2);
                }
                ops[opCount++] = n;
            }
        }

        /**
         * The op nodes by descending sequence number (insertion sort: graphs are mostly small and
         * discovered nearly in that order), then the leaves.
         */
        Node[] bySequence() {
            Node[] a = Arrays.copyOf(ops, count);
            if (opCount > 64) {
                Arrays.sort(a, 0, opCount, READY_ORDER);
            } else {
                for (int i = 1; i < opCount; i++) {
                    Node x = a[i];
                    long key = x.sequenceNr();
                    int j = i - 1;
                    while (j >= 0 && a[j].sequenceNr() < key) {
                        a[j + 1] = a[j];
                        j--;
                    }
                    a[j + 1] = x;
                }
            }
            System.arraycopy(leaves, 0, a, opCount, leafCount);
            return a;
        }
    }

    /**
     * Depth-first discovery without recursion; marks each node with the pass, counts its incoming
     * edges and numbers it (its slot).
     */
    private static Discovered discover(Node[] roots, long run, List<Node> postOrder) {
        Discovered found = new Discovered();
        Node[] stack = new Node[32];
        int[] cursor = new int[32];
        for (Node r : roots) {
            if (r.runId == run) {
                continue;
            }
            r.runId = run;
            r.pending = 0;
            found.add(r);
            r.gradMasked = false;
            int top = 0;
            stack[0] = r;
            cursor[0] = 0;
            while (top >= 0) {
                Node n = stack[top];
                if (cursor[top] < n.numInputs()) {
                    Node c = n.next(cursor[top]++);
                    if (c == null) {
                        continue;
                    }
                    if (c.sequenceNr() >= n.sequenceNr() && !c.isAccumulateGrad()) {
                        found.sequenceOrdered = false;
                    }
                    if (c.runId != run) {
                        c.runId = run;
                        c.pending = 1;
                        found.add(c);
                        c.gradMasked = false;
                        if (++top == stack.length) {
                            stack = Arrays.copyOf(stack, top * 2);
                            cursor = Arrays.copyOf(cursor, top * 2);
                        }
                        stack[top] = c;
                        cursor[top] = 0;
                    } else {
                        c.pending++;
                    }
                } else {
                    stack[top--] = null;
                    if (postOrder != null) {
                        postOrder.add(n);
                    }
                }
            }
        }
        return found;
    }
}
