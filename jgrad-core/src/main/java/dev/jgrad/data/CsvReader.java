package dev.jgrad.data;

import dev.jgrad.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a CSV data set with a header row into tensors: features float32 [N, F] and targets
 * float32 [N, T], or int64 class indices [N] with {@link #classes(int)}.
 *
 * <p>Syntax (RFC 4180, as Python's {@code csv} module reads it): UTF-8 (a leading byte order mark
 * is dropped), fields separated by commas, records ended by CRLF, LF or CR, the last one optionally;
 * a field in double quotes may hold commas, line breaks and quotes written as {@code ""}. A quote
 * inside an unquoted field is an ordinary character; a character other than a comma or line break
 * after a closing quote is an error. Empty lines are skipped anywhere (also a trailing one); line
 * numbers in messages count them, and name the line on which a record starts.
 *
 * <p>Columns: the first row names them. Targets are the last {@link #targets(int) n} columns or the
 * {@link #targets(String...) named} ones, the others (in file order) features. Numeric cells are
 * decimal numbers ({@code 1}, {@code -2.5}, {@code .5e3}; surrounding spaces allowed; no NaN or
 * infinity), parsed to double and rounded to float32 as {@code torch.tensor(np.loadtxt(...),
 * dtype=torch.float32)} does. {@link #categorical(String...) Categorical} columns hold strings
 * (taken exactly, spaces included) that become indices into their sorted distinct values (as
 * {@code numpy.unique(..., return_inverse=True)}), or into a list the caller gives.
 *
 * <p>Errors: a file that cannot be used is a {@link DataFormatException} naming the file and the
 * place, e.g. {@code data.csv: line 3, column 2 (x2): not a number: "abc"} or {@code data.csv: line
 * 4: 2 columns but the header has 3}; a missing file is a {@link NoSuchFileException}; options that
 * contradict each other are {@link IllegalArgumentException}s.
 * <pre>{@code
 * CsvReader.Table t = CsvReader.of(Path.of("iris.csv")).targets("species").categorical("species").classes().read();
 * TensorDataset ds = t.dataset(); // features [N, 4] float32, targets [N] int64
 * }</pre>
 */
public final class CsvReader {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private final Path file;
    private int targetCount;
    private List<String> targetNames;
    private boolean classes;
    private int numClasses;
    private String classReason;
    private final Map<String, List<String>> categorical = new LinkedHashMap<>();

    private CsvReader(Path file) {
        this.file = file;
    }

    /** A reader of {@code file}; by default every column is a feature. */
    public static CsvReader of(Path file) {
        return new CsvReader(file);
    }

    /** The last {@code count} columns are targets (0: none). */
    public CsvReader targets(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("the target column count must be at least 0, got " + count);
        }
        this.targetCount = count;
        this.targetNames = null;
        return this;
    }

    /** The named columns, in this order, are targets. */
    public CsvReader targets(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("targets(String...) needs at least one column name; use targets(0) for none");
        }
        if (new TreeSet<>(Arrays.asList(names)).size() != names.length) {
            throw new IllegalArgumentException("target columns named twice: " + String.join(", ", names));
        }
        this.targetNames = List.of(names);
        this.targetCount = names.length;
        return this;
    }

    /** The single target column holds class indices (any non-negative integer): targets int64 [N]. */
    public CsvReader classes() {
        return classes(0);
    }

    /** The single target column holds class indices in [0, {@code numClasses}) (≤ 0: any). */
    public CsvReader classes(int numClasses) {
        return classes(numClasses, "there are " + numClasses + " classes");
    }

    /**
     * As {@link #classes(int)}, with {@code reason} saying where the bound comes from in the
     * out-of-range message: {@code class index 3 is out of range: <reason>, so classes are 0..2}.
     */
    public CsvReader classes(int numClasses, String reason) {
        this.classes = true;
        this.numClasses = Math.max(numClasses, 0);
        this.classReason = reason;
        return this;
    }

    /** The named columns hold strings that become indices into their sorted distinct values. */
    public CsvReader categorical(String... columns) {
        for (String c : columns) {
            categorical.put(c, null);
        }
        return this;
    }

    /** The named column holds one of {@code categories}, which becomes its index in that list. */
    public CsvReader categorical(String column, List<String> categories) {
        if (new TreeSet<>(categories).size() != categories.size()) {
            throw new IllegalArgumentException("column " + column + ": categories listed twice in " + categories);
        }
        categorical.put(column, List.copyOf(categories));
        return this;
    }

    /** Reads the file as {@link #read()} and returns (features, targets), or (features) without targets. */
    public TensorDataset dataset() throws IOException {
        return read().dataset();
    }

    /** A data set read from a CSV file: its header, tensors and the categories of categorical columns. */
    public static final class Table {
        private final List<String> header;
        private final List<String> featureNames;
        private final List<String> targetNames;
        private final Tensor features;
        private final Tensor targets;
        private final Map<String, List<String>> categories;

        Table(List<String> header, List<String> featureNames, List<String> targetNames, Tensor features, Tensor targets,
                Map<String, List<String>> categories) {
            this.header = header;
            this.featureNames = featureNames;
            this.targetNames = targetNames;
            this.features = features;
            this.targets = targets;
            this.categories = categories;
        }

        /** The column names, in file order. */
        public List<String> header() {
            return header;
        }

        /** The names of the feature columns, in file order (the columns of {@link #features()}). */
        public List<String> featureNames() {
            return featureNames;
        }

        /** The names of the target columns, in the order of {@link #targets()}'s columns. */
        public List<String> targetNames() {
            return targetNames;
        }

        /** The number of examples (data rows). */
        public int rows() {
            return features.shape()[0];
        }

        /** The features, float32 [N, F]. */
        public Tensor features() {
            return features;
        }

        /** The targets: float32 [N, T], int64 class indices [N], or null without target columns. */
        public Tensor targets() {
            return targets;
        }

        /** A categorical column's categories: index i stands for {@code categories(column).get(i)}. */
        public List<String> categories(String column) {
            List<String> c = categories.get(column);
            if (c == null) {
                throw new IllegalArgumentException("column " + column + " is not categorical (categorical: " + categories.keySet() + ")");
            }
            return c;
        }

        /** (features, targets), or (features) without target columns. */
        public TensorDataset dataset() {
            return targets == null ? new TensorDataset(features) : new TensorDataset(features, targets);
        }
    }

    /** One CSV record: its cells and the line (from 1) on which it starts. */
    public record Record(int line, List<String> cells) {
    }

    /** Reads the file into tensors; see the class comment for the syntax and the errors. */
    public Table read() throws IOException {
        if (classes && targetCount != 1) {
            throw new IllegalArgumentException("class indices take one target column, but " + targetCount + " are chosen");
        }
        String name = file.toString();
        Tokenizer records = new Tokenizer(readText(file), name);
        Record head = records.next();
        if (head == null) {
            throw new DataFormatException(name + ": empty file (expected a header row and data rows)");
        }
        List<String> header = head.cells();
        int width = header.size();
        checkHeader(name, head);
        // the target columns, in target order; the others are the features, in file order
        int[] targetCols = new int[targetCount];
        if (targetNames == null) {
            if (width <= targetCount) {
                throw new DataFormatException(name + ": line " + head.line() + ": the header has " + width + " column" + s(width) + ", so "
                        + targetCount + " target column" + s(targetCount) + " leave no feature columns");
            }
            for (int j = 0; j < targetCount; j++) {
                targetCols[j] = width - targetCount + j;
            }
        } else {
            for (int j = 0; j < targetCount; j++) {
                targetCols[j] = column(name, head, targetNames.get(j));
            }
            if (width == targetCount) {
                throw new DataFormatException(name + ": line " + head.line() + ": every column of the header is a target, so there are no "
                        + "feature columns");
            }
        }
        int[] role = new int[width]; // feature index ≥ 0, or -1 - target index
        Arrays.fill(role, Integer.MIN_VALUE);
        for (int j = 0; j < targetCount; j++) {
            role[targetCols[j]] = -1 - j;
        }
        List<String> featureNames = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            if (role[c] == Integer.MIN_VALUE) {
                role[c] = featureNames.size();
                featureNames.add(header.get(c));
            }
        }
        int nf = featureNames.size();
        int nt = targetCount;
        // categorical columns: a given list maps at once; otherwise the strings wait for the sorted list
        Map<Integer, Map<String, Integer>> given = new HashMap<>();
        Map<Integer, List<String>> raw = new LinkedHashMap<>();
        Map<Integer, List<Integer>> lines = new HashMap<>();
        for (Map.Entry<String, List<String>> e : categorical.entrySet()) {
            int c = column(name, head, e.getKey());
            if (e.getValue() != null) {
                Map<String, Integer> index = new HashMap<>();
                for (int k = 0; k < e.getValue().size(); k++) {
                    index.put(e.getValue().get(k), k);
                }
                given.put(c, index);
            } else {
                raw.put(c, new ArrayList<>());
                lines.put(c, new ArrayList<>());
            }
        }
        float[] x = new float[16 * nf];
        float[] yf = classes ? null : new float[16 * nt];
        long[] yl = classes ? new long[16] : null;
        int n = 0;
        for (Record rec = records.next(); rec != null; rec = records.next()) {
            List<String> cells = rec.cells();
            if (cells.size() != width) {
                throw new DataFormatException(name + ": line " + rec.line() + ": " + cells.size() + " column" + s(cells.size())
                        + " but the header has " + width);
            }
            if ((long) (n + 1) * Math.max(nf, nt) > Integer.MAX_VALUE - 8) {
                throw new DataFormatException(name + ": line " + rec.line() + ": too many rows of " + width + " columns for one tensor");
            }
            if ((n + 1) * nf > x.length) {
                x = Arrays.copyOf(x, grow(n, nf));
            }
            if (classes && n + 1 > yl.length) {
                yl = Arrays.copyOf(yl, grow(n, 1));
            } else if (!classes && (n + 1) * nt > yf.length) {
                yf = Arrays.copyOf(yf, grow(n, nt));
            }
            for (int c = 0; c < width; c++) {
                String cell = cells.get(c);
                if (raw.containsKey(c)) {
                    raw.get(c).add(cell);
                    lines.get(c).add(rec.line());
                    continue;
                }
                String where = where(name, rec.line(), c, header);
                double d;
                String label;
                if (given.containsKey(c)) {
                    Integer k = given.get(c).get(cell);
                    if (k == null) {
                        throw new DataFormatException(where + ": \"" + cell + "\" is not one of the categories "
                                + quoted(categorical.get(header.get(c))));
                    }
                    d = k;
                    label = "\"" + cell + "\" (category " + k + ")";
                } else {
                    String v = cell.strip();
                    if (!NUMBER.matcher(v).matches()) {
                        throw new DataFormatException(where + ": not a number: \"" + cell + "\"");
                    }
                    d = Double.parseDouble(v);
                    if (Double.isInfinite(d) || !(classes && role[c] < 0) && Float.isInfinite((float) d)) {
                        throw new DataFormatException(where + ": " + v + " is out of the float32 range");
                    }
                    if (classes && role[c] < 0 && d != Math.rint(d)) {
                        throw new DataFormatException(where + ": not an integer class index: \"" + cell + "\"");
                    }
                    label = v;
                }
                put(x, yf, yl, n, nf, nt, role[c], d, where, label);
            }
            n++;
        }
        if (n == 0) {
            throw new DataFormatException(name + ": no data rows after the header");
        }
        Map<String, List<String>> categories = new LinkedHashMap<>();
        for (String col : categorical.keySet()) {
            int c = header.indexOf(col);
            if (given.containsKey(c)) {
                categories.put(col, categorical.get(col));
                continue;
            }
            List<String> values = raw.get(c);
            List<String> cats = List.copyOf(new TreeSet<>(values));
            categories.put(col, cats);
            Map<String, Integer> index = new HashMap<>();
            for (int k = 0; k < cats.size(); k++) {
                index.put(cats.get(k), k);
            }
            for (int i = 0; i < n; i++) {
                int k = index.get(values.get(i));
                put(x, yf, yl, i, nf, nt, role[c], k, where(name, lines.get(c).get(i), c, header),
                        "\"" + values.get(i) + "\" (category " + k + ")");
            }
        }
        List<String> targetNamesRead = new ArrayList<>();
        for (int j = 0; j < nt; j++) {
            targetNamesRead.add(header.get(targetCols[j]));
        }
        Tensor features = Tensor.fromFloats(Arrays.copyOf(x, n * nf), n, nf);
        Tensor targets = nt == 0 ? null : classes ? Tensor.fromLongs(Arrays.copyOf(yl, n), n) : Tensor.fromFloats(Arrays.copyOf(yf, n * nt), n, nt);
        return new Table(List.copyOf(header), List.copyOf(featureNames), List.copyOf(targetNamesRead), features, targets,
                Collections.unmodifiableMap(categories));
    }

    /** A new length for an array of rows of {@code width} that must hold row {@code n}. */
    private static int grow(int n, int width) {
        return (int) Math.min(Integer.MAX_VALUE - 8, 2L * (n + 1) * width);
    }

    /** Stores value {@code d} of row {@code i} in the column with role {@code role}. */
    private void put(float[] x, float[] yf, long[] yl, int i, int nf, int nt, int role, double d, String where, String label)
            throws DataFormatException {
        if (role >= 0) {
            x[i * nf + role] = (float) d;
        } else if (classes) {
            if (d < 0 || (numClasses > 0 && d >= numClasses)) {
                throw new DataFormatException(where + ": class index " + label + " is out of range: "
                        + (numClasses > 0 ? classReason + ", so classes are 0.." + (numClasses - 1) : "class indices are not negative"));
            }
            if (d >= 0x1p53) {
                throw new DataFormatException(where + ": class index " + label + " is out of range: it is not below 2^53");
            }
            yl[i] = (long) d;
        } else {
            yf[i * nt - 1 - role] = (float) d;
        }
    }

    /** A header that is a row of numbers is a data row: the file has no header. */
    private static void checkHeader(String name, Record head) throws DataFormatException {
        for (String h : head.cells()) {
            if (!NUMBER.matcher(h.strip()).matches()) {
                return;
            }
        }
        throw new DataFormatException(name + ": line " + head.line() + ": no header row: every cell of the first row is a number ("
                + String.join(",", head.cells()) + "); the first row must name the columns");
    }

    /** The index of the column named {@code column} in the header. */
    private static int column(String name, Record head, String column) throws DataFormatException {
        List<String> header = head.cells();
        int c = header.indexOf(column);
        if (c < 0) {
            throw new DataFormatException(name + ": line " + head.line() + ": no column named \"" + column + "\" in the header (columns: "
                    + quoted(header) + ")");
        }
        int again = header.subList(c + 1, header.size()).indexOf(column);
        if (again >= 0) {
            throw new DataFormatException(name + ": line " + head.line() + ": the column name \"" + column + "\" is ambiguous: columns "
                    + (c + 1) + " and " + (c + 2 + again) + " have it");
        }
        return c;
    }

    private static String where(String name, int line, int c, List<String> header) {
        return name + ": line " + line + ", column " + (c + 1) + (header.get(c).isEmpty() ? "" : " (" + header.get(c) + ")");
    }

    private static String quoted(List<String> values) {
        StringBuilder b = new StringBuilder();
        for (String v : values) {
            b.append(b.length() == 0 ? "" : ", ").append('"').append(v).append('"');
        }
        return b.toString();
    }

    private static String s(int count) {
        return count == 1 ? "" : "s";
    }

    private static String readText(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + ": no such file");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DataFormatException(file + ": not valid UTF-8 text", e);
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text; // the byte order mark is not part of a column name
    }

    /**
     * Splits CSV text into records (see the class comment for the syntax); empty lines are skipped.
     * {@code source} names the text in errors.
     * <pre>{@code
     * CsvReader.records("a,b\r\n\"x,\"\"y\"\"\",2\r\n", "t.csv"); // [Record[line=1, cells=[a, b]], Record[line=2, cells=[x,"y", 2]]]
     * }</pre>
     */
    public static List<Record> records(String text, String source) throws DataFormatException {
        Tokenizer t = new Tokenizer(text, source);
        List<Record> out = new ArrayList<>();
        for (Record r = t.next(); r != null; r = t.next()) {
            out.add(r);
        }
        return out;
    }

    /** Reads one record at a time, so that a large file is never held as strings. */
    private static final class Tokenizer {
        private final String text;
        private final String source;
        private final int len;
        private final StringBuilder field = new StringBuilder();
        private int pos;
        private int line = 1;
        private List<String> header;

        Tokenizer(String text, String source) {
            this.text = text;
            this.source = source;
            this.len = text.length();
        }

        /** The next record, or null at the end. */
        Record next() throws DataFormatException {
            while (pos < len && (text.charAt(pos) == '\n' || text.charAt(pos) == '\r')) { // an empty line
                lineBreak();
            }
            if (pos >= len) {
                return null;
            }
            int start = line;
            List<String> cells = new ArrayList<>(header == null ? 8 : header.size());
            while (true) {
                field.setLength(0);
                if (pos < len && text.charAt(pos) == '"') {
                    quoted(cells.size());
                } else {
                    while (pos < len) {
                        char c = text.charAt(pos);
                        if (c == ',' || c == '\n' || c == '\r') {
                            break;
                        }
                        field.append(c);
                        pos++;
                    }
                }
                cells.add(field.toString());
                if (pos < len && text.charAt(pos) == ',') {
                    pos++;
                } else {
                    if (pos < len) {
                        lineBreak(); // ends the record
                    }
                    break;
                }
            }
            if (header == null) {
                header = cells;
            }
            return new Record(start, Collections.unmodifiableList(cells));
        }

        /** Reads a quoted field (at its opening quote) into {@code field}. */
        private void quoted(int index) throws DataFormatException {
            int openLine = line;
            pos++;
            while (true) {
                if (pos >= len) {
                    throw new DataFormatException(source + ": invalid CSV: line " + openLine + ", column " + column(index)
                            + ": the quoted field that starts here has no closing quote");
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    if (pos < len && text.charAt(pos) == '"') {
                        field.append('"');
                        pos++;
                    } else {
                        break;
                    }
                } else if (c == '\n' || c == '\r') {
                    int from = pos;
                    lineBreak();
                    field.append(text, from, pos);
                } else {
                    field.append(c);
                    pos++;
                }
            }
            if (pos < len && text.charAt(pos) != ',' && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
                throw new DataFormatException(source + ": invalid CSV: line " + line + ", column " + column(index) + ": '"
                        + text.charAt(pos) + "' after the closing quote of a quoted field (expected a comma or the end of the line)");
            }
        }

        /** Consumes CRLF, LF or CR. */
        private void lineBreak() {
            pos += text.charAt(pos) == '\r' && pos + 1 < len && text.charAt(pos + 1) == '\n' ? 2 : 1;
            line++;
        }

        /** "2 (x2)" for field index 1 when the header names it, else "2". */
        private String column(int index) {
            return (index + 1) + (header != null && index < header.size() && !header.get(index).isEmpty()
                    ? " (" + header.get(index) + ")" : "");
        }
    }
}
