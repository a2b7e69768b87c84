import sys
def micro(typ, V, S, lanes, mr, nv, name):
    """The tile kernel {name}: a dispatcher and one loop per A layout, each in a method of its own
    (one method with all three loops grows past what C2 compiles, leaving it to C1: boxed vectors).
    Each loop indexes the arrays as p * constant + loop-invariant offset, the form whose range
    checks C2 hoists out of the loop; with a variable stride it checks every load."""
    nr = nv*lanes
    sig = f"(int kc, {typ}[] ap, int ao, int ars, int aps, {typ}[] bp, int bo, {typ}[] c, int co,"
    L = []
    L.append(f"    private static void {name}{sig}")
    L.append(f"                               int ldc, boolean acc) {{")
    L.append("        if (aps == 1) {")
    L.append(f"            {name}InPlace(kc, ap, ao, ars, bp, bo, c, co, ldc, acc);")
    L.append(f"        }} else if (ars == 1 && aps == {mr}) {{")
    L.append(f"            {name}Packed(kc, ap, ao, bp, bo, c, co, ldc, acc);")
    L.append("        } else {")
    L.append(f"            {name}Strided(kc, ap, ao, ars, aps, bp, bo, c, co, ldc, acc);")
    L.append("        }")
    L.append("    }")
    L.append("")

    def variant(suffix, params, comment, setup, a_index, b_index, loop_head):
        L.append(f"    /** {comment} */")
        L.append(f"    private static void {name}{suffix}(int kc, {typ}[] ap, int ao, {params}{typ}[] bp, int bo, {typ}[] c, int co,")
        L.append(f"                               int ldc, boolean acc) {{")
        for line in setup:
            L.append("        " + line)
        for r in range(mr):
            for v in range(nv):
                L.append(f"        {V} c{r}_{v};")
        L.append("        if (acc) {")
        for r in range(mr):
            for v in range(nv):
                L.append(f"            c{r}_{v} = {V}.fromArray({S}, c, co + {r} * ldc + {v*lanes});")
        L.append("        } else {")
        for r in range(mr):
            for v in range(nv):
                L.append(f"            c{r}_{v} = {V}.zero({S});")
        L.append("        }")
        L.append(f"        {loop_head} {{")
        for v in range(nv):
            L.append(f"            {V} b{v} = {V}.fromArray({S}, bp, {b_index(v)});")
        for r in range(mr):
            L.append(f"            {V} a{r} = {V}.broadcast({S}, ap[{a_index(r)}]);")
            for v in range(nv):
                L.append(f"            c{r}_{v} = a{r}.fma(b{v}, c{r}_{v});")
        L.append("        }")
        for r in range(mr):
            for v in range(nv):
                L.append(f"        c{r}_{v}.intoArray(c, co + {r} * ldc + {v*lanes});")
        L.append("    }")
        L.append("")

    bsetup = [f"int bo{v} = bo + {v*lanes};" for v in range(nv)]
    variant("InPlace", "int ars, ", "A read in place: row r of the tile at ao + r·ars, one column per step.",
            bsetup + [f"int ao{r} = ao + {r} * ars;" for r in range(mr)],
            lambda r: f"p + ao{r}", lambda v: f"p * {nr} + bo{v}", "for (int p = 0; p < kc; p++)")
    variant("Packed", "", f"Packed A: the tile's {mr} values of a step side by side.",
            bsetup + [f"int ao{r} = ao + {r};" for r in range(mr)],
            lambda r: f"p * {mr} + ao{r}", lambda v: f"p * {nr} + bo{v}", "for (int p = 0; p < kc; p++)")
    variant("Strided", "int ars, int aps, ", "Any other layout of A (range checks stay in the loop).",
            [f"int ar{r} = {r} * ars;" for r in range(1, mr)],
            lambda r: 'ai' if r == 0 else 'ai + ar' + str(r), lambda v: f"bi + {v*lanes}",
            f"for (int p = 0, ai = ao, bi = bo; p < kc; p++, ai += aps, bi += {nr})")
    return "\n".join(L).rstrip()

def block(typ, T, nr, mrs):
    L = []
    L.append(f"    @Override")
    L.append(f"    void block{T}(int mr, int mc, int nc, int kc, {typ}[] ap, int aOff, int aPanel, int aRow, int aStep, {typ}[] bp,")
    L.append(f"                {typ}[] c, int cOff, int ldc, boolean accumulate, {typ}[] tile) {{")
    L.append(f"        for (int j = 0; j < nc; j += {nr}) {{")
    L.append(f"            int cols = Math.min({nr}, nc - j);")
    L.append(f"            int bo = j * kc;")
    L.append(f"            for (int i = 0; i < mc; i += mr) {{")
    L.append(f"                int rows = Math.min(mr, mc - i);")
    L.append(f"                int ao = aOff + i * aPanel;")
    L.append(f"                int co = cOff + i * ldc + j;")
    L.append(f"                if (rows == mr && cols == {nr}) {{")
    L.append(f"                    micro{T}(mr, kc, ap, ao, aRow, aStep, bp, bo, c, co, ldc, accumulate);")
    L.append(f"                }} else {{")
    L.append(f"                    loadTile(c, co, ldc, rows, cols, tile, {nr}, accumulate);")
    L.append(f"                    micro{T}(mr, kc, ap, ao, aRow, aStep, bp, bo, tile, 0, {nr}, true);")
    L.append(f"                    storeTile(tile, {nr}, c, co, ldc, rows, cols);")
    L.append(f"                }}")
    L.append(f"            }}")
    L.append(f"        }}")
    L.append(f"    }}")
    L.append("")
    L.append(f"    private static void micro{T}(int mr, int kc, {typ}[] ap, int ao, int ars, int aps, {typ}[] bp, int bo, {typ}[] c,")
    L.append(f"                               int co, int ldc, boolean acc) {{")
    first=True
    for mr in mrs[:-1]:
        L.append(f"        {'if' if first else '} else if'} (mr == {mr}) {{")
        L.append(f"            micro{T}{mr}(kc, ap, ao, ars, aps, bp, bo, c, co, ldc, acc);")
        first=False
    L.append(f"        }} else {{")
    L.append(f"            micro{T}{mrs[-1]}(kc, ap, ao, ars, aps, bp, bo, c, co, ldc, acc);")
    L.append(f"        }}")
    L.append(f"    }}")
    return "\n".join(L)

def gen(cls, bits, mrsF, mrsD, nv, defaultF, defaultD, doc, check=""):
    lf = bits//32; ld = bits//64
    nrF = nv*lf; nrD = nv*ld
    src = f'''package dev.jgrad.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
{doc}
 *
 * <p>Generated by {{@code jgrad-core/src/main/scripts/gen_micro_kernels.py}}: each accumulator
 * c{{r}}_{{v}} is row r, vector v of the tile; edit the generator, not this file.
 */
final class {cls} extends MicroKernels {{
    private static final VectorSpecies<Float> SF = FloatVector.SPECIES_{bits};
    private static final VectorSpecies<Double> SD = DoubleVector.SPECIES_{bits};

    /** The default tiles, their rows adapted to M. */
    {cls}() {{
        this({defaultF}, {defaultD});
        adaptive = true;{check}
    }}

    {cls}(int mrF, int mrD) {{
        super(mrF, {nrF}, mrD, {nrD}, new int[] {{{", ".join(map(str,mrsF))}}}, new int[] {{{", ".join(map(str,mrsD))}}});
        if (!java.util.Arrays.asList({", ".join(map(str,mrsF))}).contains(mrF) || !java.util.Arrays.asList({", ".join(map(str,mrsD))}).contains(mrD)) {{
            throw new IllegalArgumentException("unsupported tile rows " + mrF + ", " + mrD);
        }}
        if (SF.length() != {lf} || SD.length() != {ld}) {{
            throw new IllegalStateException("{bits}-bit species expected");
        }}
    }}

    @Override
    String describe() {{
        return "Vector API {bits}-bit, " + rowsText(rowsF) + "x{nrF} float32, " + rowsText(rowsD) + "x{nrD} float64";
    }}

'''
    src += block("float","F",nrF,mrsF) + "\n\n" + block("double","D",nrD,mrsD) + "\n\n"
    for mr in mrsF:
        src += micro("float","FloatVector","SF",lf,mr,nv,f"microF{mr}") + "\n\n"
    for mr in mrsD:
        src += micro("double","DoubleVector","SD",ld,mr,nv,f"microD{mr}") + "\n\n"
    src = src.rstrip() + "\n}\n"
    return src

out = sys.argv[1]
open(out + "/VectorMicroKernels.java","w").write(gen("VectorMicroKernels", 256, [4,6], [4,6], 2, "Runtime.version().feature() >= 21 ? 4 : 6", "Runtime.version().feature() >= 21 ? 4 : 6",
''' * Micro-kernels on the JDK Vector API with 256-bit species (AVX2 + FMA): a tile of mr rows × two
 * vectors of C stays in registers while p runs over the packed panels. mr is 6 on JDK 17 (12
 * accumulators of the 16 ymm registers) and 4 on later JDKs, whose register allocator spills one
 * accumulator of the 6-row tile. Loaded by reflection only when the module is present.'''))
CHECK512 = """
        if (FloatVector.SPECIES_PREFERRED.vectorBitSize() < 512) {
            throw new IllegalStateException("the JIT prefers " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors");
        }"""
DOC512 = """ * Micro-kernels on the JDK Vector API with 512-bit species, for CPUs with AVX-512 (32 vector
 * registers): a tile of mr rows x two vectors of C (up to 24 accumulators) stays in registers
 * while p runs over the packed panels. Loaded by reflection only when the module is present and
 * the JIT's preferred species is 512 bits wide (the default constructor refuses otherwise)."""
open(out + "/Vector512MicroKernels.java", "w").write(gen("Vector512MicroKernels", 512, [6, 8, 12], [6, 8, 12], 2, 12, 12,
                                                      DOC512, CHECK512))
