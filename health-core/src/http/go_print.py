#!/usr/bin/env python3
"""Writes go_print.rs: the tables behind Go's strconv.IsPrint for Unicode 15.0.0.

Go's own generator (src/strconv/makeisprint.go) scans every rune with unicode.IsPrint
(categories L, M, N, P, S, and the ASCII space) and stores sorted inclusive ranges, turning a
one-rune gap between printable runes into an exception instead of ending the range. This does
the same from the Unicode 15.0.0 database:

    python3 -m pip install --target /tmp/ud2 unicodedata2==15.0.0
    PYTHONPATH=/tmp/ud2 python3 health-core/src/http/go_print.py > health-core/src/http/go_print.rs

The table sizes must match the header of Go's isprint.go: (424+133+112)*2 + (508)*4 bytes.
"""

import unicodedata2 as ud

assert ud.unidata_version == "15.0.0", ud.unidata_version

HEADER = """\
//! The tables behind Go's `strconv.IsPrint` for Unicode 15.0.0, the version of Go's tables
//! since Go 1.21 (the Go releases recent Kubernetes releases are built with; a later Go may move
//! to a later Unicode), in Go's layout: sorted inclusive `[start, end]` pairs of printable
//! runes, and the single non-printable runes inside them (`IS_NOT_PRINT32` holds
//! `rune - 0x10000`; there are none above U+1FFFF).
//!
//! Generated data: `health-core/src/http/go_print.py` writes this file from the Unicode 15.0.0
//! general categories (L, M, N, P, S, plus U+0020) with the pairing rule of Go's
//! `makeisprint.go`: a one-rune gap between printable runes is an exception rather than the
//! end of a pair. The sizes match the header of Go's generated `isprint.go`:
//! `(424+133+112)*2 + (508)*4 = 3370 bytes`.
"""


def is_print(r):
    """Go's unicode.IsPrint: categories L, M, N, P, S, and U+0020 among the spaces."""
    if r == 0x20:
        return True
    if 0xD800 <= r <= 0xDFFF:
        return False
    return ud.category(chr(r))[0] in "LMNPS"


def scan(low, high):
    """Go's makeisprint.go scan: inclusive ranges, and one-rune gaps as exceptions."""
    ranges, exceptions, start, r = [], [], -1, low
    while True:
        if (r > high or not is_print(r)) and start >= 0:
            if r + 1 <= high and is_print(r + 1):
                exceptions.append(r)
                r += 1
                continue
            ranges += [start, r - 1]
            start = -1
        if r > high:
            break
        if start < 0 and is_print(r):
            start = r
        r += 1
    return ranges, exceptions


def table(name, ty, values, digits):
    lines = [f"pub(super) const {name}: [{ty}; {len(values)}] = ["]
    line = "   "
    for value in values:
        item = f" 0x{value:0{digits}x},"
        if len(line) + len(item) > 100:
            lines.append(line)
            line = "   "
        line += item
    lines += [line, "];"]
    return "\n".join(lines)


range16, except16 = scan(0, 0xFFFF)
range32, except32 = scan(0x10000, 0x10FFFF)
assert (len(range16), len(except16), len(except32), len(range32)) == (424, 133, 112, 508)
assert all(r < 0x20000 for r in except32)
print(HEADER)
print(table("IS_PRINT16", "u16", range16, 4), end="\n\n")
print(table("IS_NOT_PRINT16", "u16", except16, 4), end="\n\n")
print(table("IS_PRINT32", "u32", range32, 5), end="\n\n")
print(table("IS_NOT_PRINT32", "u16", [r - 0x10000 for r in except32], 4))
