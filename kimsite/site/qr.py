"""QR codes: the only importer of segno.

A code is handed on as its module matrix (rows of dark/light), so the bulletin draws it as
vector squares: sharp at any print size, a few hundred bytes, and the same bytes every build.
"""

from __future__ import annotations

import segno

MASK = 2  # columns: no pattern of QR's penalty rules lines up with our short URLs' data
Matrix = tuple[tuple[bool, ...], ...]


def qr_matrix(url: str) -> Matrix:
    """The modules of `url`'s QR code with its 4-module quiet zone (error correction M: a
    printed sheet on a notice board gets creased and faded). One fixed mask: choosing the best
    of eight took 10 ms a code, most of a bulletin's cost, and any mask decodes."""
    code = segno.make_qr(url, error="m", boost_error=False, mask=MASK)
    return tuple(tuple(bool(m) for m in row) for row in code.matrix_iter(scale=1, border=4))


def dark_blocks(matrix: Matrix) -> list[tuple[int, int, int, int]]:
    """(row, column, width, height) rectangles covering the dark modules: each horizontal run,
    merged with the same run on the rows below (fewer drawing operations)."""
    open_runs: dict[tuple[int, int], list[int]] = {}
    blocks = []
    for y, row in enumerate(_runs(matrix)):
        for key in [k for k in open_runs if k not in row]:
            top, height = open_runs.pop(key)
            blocks.append((top, key[0], key[1], height))
        for key in row:
            open_runs.setdefault(key, [y, 0])[1] += 1
    blocks += [(top, x, w, h) for (x, w), (top, h) in open_runs.items()]
    return sorted(blocks)


def _runs(matrix: Matrix) -> list[set[tuple[int, int]]]:
    return [{(x, w) for _y, x, w in _row_runs(y, row)} for y, row in enumerate(matrix)]


def _row_runs(y: int, row: tuple[bool, ...]) -> list[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules."""
    runs = []
    x = 0
    while x < len(row):
        if row[x]:
            start = x
            while x < len(row) and row[x]:
                x += 1
            runs.append((y, start, x - start))
        else:
            x += 1
    return runs
