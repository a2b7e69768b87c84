package dev.jgrad.autograd;

import dev.jgrad.Tensor;
import dev.jgrad.storage.Shapes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
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

    /** Among nodes whose gradients are complete, the most recently created runs first (as PyTorch). */
    private static final java.util.Comparator<Node> RUN_ORDER = (a, b) -> Long.compare(b.sequenceNr(), a.sequenceNr());

    private Engine() {
    }

    /**
     * The nodes reachable from {@code root} in the order {@link #run} executes them when every
     * gradient flows: by dependency count, most recently created first among the ready ones.
     */
    static List<Node> order(Node root) {
        Map<Node, int[]> deps = new IdentityHashMap<>();
        discover(new Node[] {root}, deps, new ArrayList<>());
        List<Node> out = new ArrayList<>();
        PriorityQueue<Node> ready = new PriorityQueue<>(RUN_ORDER);
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
        // 1. Discover the graph: dependency counts and a post-order (children before parents).
        Map<Node, int[]> deps = new IdentityHashMap<>();
        List<Node> postOrder = new ArrayList<>();
        discover(roots, deps, postOrder);

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
        Map<Node, Tensor> buffers = new IdentityHashMap<>();
        PriorityQueue<Node> ready = new PriorityQueue<>(RUN_ORDER);
        for (int i = 0; i < roots.length; i++) {
            Tensor g = gradOutputs[i];
            if (!Arrays.equals(g.shape(), outputs[i].shape())) {
                throw new IllegalArgumentException("Mismatch in shape: grad_output[" + i + "] has a shape of torch.Size("
                        + Shapes.format(g.shape()) + ") and output[" + i + "] has a shape of torch.Size("
                        + Shapes.format(outputs[i].shape()) + ").");
            }
            accumulate(buffers, roots[i], g);
        }
        for (Node r : roots) {
            if (deps.get(r)[0] == 0 && !ready.contains(r)) {
                ready.add(r);
            }
        }
        boolean previous = GradMode.set(createGraph);
        try {
            while (!ready.isEmpty()) {
                Node node = ready.poll();
                Tensor grad = buffers.remove(node);
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
                        node.variable().accumulateGrad(grad, createGraph);
                    }
                    continue;
                }
                Tensor[] inGrads = grad == null ? new Tensor[node.numInputs()] : node.apply(grad);
                if (!retainGraph) {
                    node.release();
                }
                for (int i = 0; i < node.numInputs(); i++) {
                    Node child = node.next(i);
                    if (child == null) {
                        continue;
                    }
                    Tensor g = inGrads[i];
                    if (g != null && (needed == null || needed.get(child))) {
                        accumulate(buffers, child, reduceToInput(node, i, g));
                    }
                    int[] d = deps.get(child);
                    if (--d[0] == 0) {
                        ready.add(child);
                    }
                }
            }
        } finally {
            GradMode.set(previous);
        }
        return results;
    }

    /** The one place where gradients of broadcast inputs are summed back and cast to the input's dtype. */
    private static Tensor reduceToInput(Node node, int i, Tensor g) {
        int[] shape = node.inputShapeRef(i);
        if (!Arrays.equals(g.shape(), shape)) {
            if (!broadcastsTo(shape, g.shape())) {
                throw new IllegalStateException("Function " + node.name() + " returned an invalid gradient at index " + i
                        + " - got " + Shapes.format(g.shape()) + " but expected shape compatible with " + Shapes.format(shape));
            }
            g = g.sumToSize(shape);
        }
        if (g.dtype() != node.inputDType(i)) {
            g = g.to(node.inputDType(i));
        }
        return g;
    }

    private static boolean broadcastsTo(int[] small, int[] big) {
        if (small.length > big.length) {
            return false;
        }
        int off = big.length - small.length;
        for (int d = 0; d < small.length; d++) {
            if (small[d] != 1 && small[d] != big[d + off]) {
                return false;
            }
        }
        return true;
    }

    private static void accumulate(Map<Node, Tensor> buffers, Node node, Tensor g) {
        Tensor prev = buffers.get(node);
        buffers.put(node, prev == null ? g : prev.add(g));
    }

    private static void discover(Node[] roots, Map<Node, int[]> deps, List<Node> postOrder) {
        Deque<Object[]> stack = new ArrayDeque<>();
        for (Node r : roots) {
            if (!deps.containsKey(r)) {
                deps.put(r, new int[1]);
                stack.push(new Object[] {r, new int[] {0}});
            }
            while (!stack.isEmpty()) {
                Object[] top = stack.peek();
                Node n = (Node) top[0];
                int[] cursor = (int[]) top[1];
                if (cursor[0] < n.numInputs()) {
                    Node c = n.next(cursor[0]++);
                    if (c == null) {
                        continue;
                    }
                    int[] d = deps.get(c);
                    if (d == null) {
                        deps.put(c, new int[] {1});
                        stack.push(new Object[] {c, new int[] {0}});
                    } else {
                        d[0]++;
                    }
                } else {
                    stack.pop();
                    postOrder.add(n);
                }
            }
        }
    }
}
