# Golden files for dev.jgrad.data.CsvReader (CsvReaderTest): CSV files written by Python's csv
# module and, in cases.json, what Python reads back from each of them:
#  - records: csv.reader's non-empty rows with the line each starts on (from reader.line_num);
#  - features/targets: the tensors CsvReader must return, the cells parsed with float() and rounded
#    to float32 (struct 'f'), as torch.tensor(np.loadtxt(...), dtype=torch.float32) makes them;
#    class targets as int; categorical cells as indices into sorted(set(column)) or a given list.
# Standard library only: python3 generate.py
import csv, json, os, struct

here = os.path.dirname(os.path.abspath(__file__))


def f32(s):
    return float(struct.unpack("<f", struct.pack("<f", float(s)))[0]).hex()


def write(name, rows, encoding="utf-8", blank_lines=(), strip_last_newline=False, **fmt):
    """Writes rows with csv.writer; then inserts empty lines before the given row indices."""
    import io
    buf = io.StringIO(newline="")
    csv.writer(buf, **fmt).writerows(rows)
    text = buf.getvalue()
    term = fmt.get("lineterminator", "\r\n")
    if blank_lines:
        parts = io.StringIO(newline="")
        w = csv.writer(parts, **fmt)
        out = []
        for i, r in enumerate(rows):
            if i in blank_lines:
                out.append(term)
            b = io.StringIO(newline="")
            csv.writer(b, **fmt).writerow(r)
            out.append(b.getvalue())
        if len(rows) in blank_lines:
            out.append(term)
        text = "".join(out)
    if strip_last_newline:
        text = text[: -len(term)]
    with open(os.path.join(here, name), "w", encoding=encoding, newline="") as f:
        f.write(text)


def read_back(name, encoding="utf-8"):
    with open(os.path.join(here, name), encoding=encoding, newline="") as f:
        r = csv.reader(f)
        out, last = [], 0
        for row in r:
            if row:
                out.append({"line": last + 1, "cells": row})
            last = r.line_num
        return out


def case(name, rows, targets=0, target_names=None, classes=False, categorical=None, encoding="utf-8", **write_args):
    """categorical: {column: None (sorted distinct values) or [given categories]}."""
    write(name, rows, encoding=encoding, **write_args)
    recs = read_back(name, "utf-8-sig" if encoding == "utf-8-sig" else encoding)
    header, data = recs[0]["cells"], [r["cells"] for r in recs[1:]]
    categorical = categorical or {}
    cats = {}
    for col, given in categorical.items():
        c = header.index(col)
        cats[col] = given if given is not None else sorted(set(row[c] for row in data))
    tcols = [header.index(t) for t in target_names] if target_names else list(range(len(header) - targets, len(header)))
    fcols = [c for c in range(len(header)) if c not in tcols]

    def value(row, c, as_class):
        col = header[c]
        v = cats[col].index(row[c]) if col in cats else (int(float(row[c])) if as_class else row[c])
        return v if as_class else f32(v)

    return {
        "file": name, "target_count": targets, "target_names": target_names, "classes": classes,
        "categorical": categorical, "records": recs, "header": header,
        "feature_names": [header[c] for c in fcols], "target_names_read": [header[c] for c in tcols],
        "features": [value(row, c, False) for row in data for c in fcols],
        "targets": [value(row, c, classes) for row in data for c in tcols],
        "categories": cats,
    }


cases = [
    # CRLF (the csv module's default), one float target, a trailing newline
    case("crlf.csv", [["x1", "x2", "y"], ["0.5", "1.0", "1"], ["-1.0", "0.25", "0"], ["2.0", "-0.5", "1"]], targets=1),
    # LF, no trailing newline, two targets, number forms that round differently in float32
    case("lf_no_final_newline.csv",
         [["a", "b", "t1", "t2"], ["0.1", "1e-3", ".5", "-2."], ["+3.4028234e38", "1e-45", "16777217", "0.3333333333333333"],
          [" 7 ", "-0", "1E2", "2.5e-1"]],
         targets=2, lineterminator="\n", strip_last_newline=True),
    # every field quoted; header names with an embedded comma, quotes and a line break; empty lines
    # in the middle and at the end; class targets
    case("quoted_header.csv",
         [["width, cm", 'the "size"', "multi\nline", "label"], ["1.5", "2", "3", "0"], ["4", "5.25", "-6", "2"], ["7", "8", "9", "1"]],
         targets=1, classes=True, quoting=csv.QUOTE_ALL, blank_lines=(2, 4)),
    # a line break inside a quoted header name written as CRLF, minimal quoting, targets by name
    # (not the last columns, in another order than in the file)
    case("targets_by_name.csv",
         [["y2", "f\r\n1", "y1", "f2"], ["1", "2", "3", "4"], ["5", "6", "7", "8"]],
         target_names=["y1", "y2"]),
    # string columns: a categorical feature with commas and quotes in its values (sorted categories),
    # a categorical class target with given categories; written with a byte order mark
    case("categorical.csv",
         [["colour", "length", "species"], ['red, dark', "5.1", "setosa"], ['say "blue"', "4.9", "virginica"],
          ["red, dark", "6.0", "versicolor"], ["green", "5.5", "setosa"]],
         target_names=["species"], classes=True,
         categorical={"colour": None, "species": ["setosa", "versicolor", "virginica"]}, encoding="utf-8-sig"),
    # lone CR line ends (old Mac)
    case("cr.csv", [["p", "q"], ["1", "2"], ["3", "4"]], targets=1, lineterminator="\r"),
]
with open(os.path.join(here, "cases.json"), "w") as f:
    json.dump(cases, f, indent=1)

# records.json: raw texts and the records csv.reader makes of them (CsvReader.records)
texts = [
    'a,b\r\n1,2\r\n',
    'a,b\n1,2',
    'a,b\r1,2\r\r',
    '""\n\n"",""\n',                      # a quoted empty field is a record, an empty line is not
    'a,,b,\n,\n',                         # empty fields, a trailing comma
    'x"y,"p""q",""""\n',                   # a quote inside an unquoted field is literal; "" escapes
    '"a\r\nb","c\nd\re"\r\nz,"",\n',        # line breaks of every kind inside quotes
    '\n\n\r\nh1,h2\n\n1,2\n\n\n',             # empty lines before, between and after
    ' a , "b" \n',                          # spaces are kept (a space before a quote makes it literal)
    'caf\u00e9,\u00fc\u00f1\u00ee,"\u2603,\U0001F600"\n',
]
out = []
for t in texts:
    r = csv.reader(__import__("io").StringIO(t, newline=""))
    recs, last = [], 0
    for row in r:
        if row:
            recs.append({"line": last + 1, "cells": row})
        last = r.line_num
    out.append({"text": t, "records": recs})
with open(os.path.join(here, "records.json"), "w") as f:
    json.dump(out, f, indent=1)
