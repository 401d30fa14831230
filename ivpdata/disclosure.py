"""Public disclosure rules ("onthullingsregels"): what a public table, chart or export may show.

Applied in presentatiemodus and to every export marked public; analysts see exact values in the
normal mode. The rules, set in `data/settings.yaml` (`disclosure:`):

- Small counts ("klein"): a count from 1 up to (not including) the threshold is shown as "< 5".
  Zero is shown.
- Sensitive categories ("gevoelig": zedenmisdrijf, huiselijk geweld, ...) are shown only at wijk
  level or above; below it every such cell is hidden ("x") whatever its count.
- Complementary suppression ("aanvullend"): cells often sum to a public total (the buurten of a
  category to the gemeente figure, the categories of a buurt to its total). A hidden cell that
  could be worked out from such totals gets company: further cells are hidden ("x").

The core works on long data: one row per cell with a count, and `lines`, each a list of columns
that group cells whose sum is public or derivable (["category_code", "year"]: the buurten of one
category and year sum to the gemeente figure; [] : all cells sum to one total).

What a reader is assumed to know (`suppress` protects against it, `audit` measures it): every
line total (a total below the threshold is itself shown as "< 5", so only that it lies in
[1, threshold-1]), the visible cells, that counts are >= 0, that a "< 5" cell lies in
[1, threshold-1], and that a positive "x" that is not sensitive is at least the threshold (it
would have been shown otherwise). A hidden cell is protected when that leaves it more than one
possible value.

How `suppress` works: it first completes each line on its own (one hidden cell in a line, or two
"< 5" whose hidden sum is 2, gets a further hidden cell: the smallest count above the threshold
that opens no new line). Lines interact (rows and columns of a table), so it then checks the whole
system exactly: a hidden cell can take another value iff a direction of the tangent cone of the
reader's polytope moves it (one LP for the cells at a bound, linear algebra for the others). A
cell found pinned gets a further complement, chosen to break the proof that pins it; repeat. When
no complement helps, a pinned "< 5" is shown as "x" instead (two "< 5" summing to a public 8 are
both 4; as "x" they could be anything). Deterministic: the same input gives the same output.

Limits: a hidden 0 may stay derivable as 0 (zeros are shown anyway). A cell that is a line on its
own (a wijk with one buurt) equals a public total and cannot be protected; `audit` shows it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import math
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ivpdata.formatting import dutch_list

if TYPE_CHECKING:
    from scipy import sparse

SHOWN = ""
SMALL = "klein"
SENSITIVE = "gevoelig"
COMPLEMENTARY = "aanvullend"
DERIVED = "afgeleid"  # only in wide tables: a rate or change computed from a hidden count
REASONS = (SHOWN, SMALL, SENSITIVE, COMPLEMENTARY)
HIDDEN_MARK = "x"

# Area levels, smallest first. Area groups (e.g. "Dordt-West") count as wijk level.
LEVEL_RANK = {"buurt": 0, "wijk": 1, "groep": 1, "gebiedsgroep": 1, "gemeente": 2}

DEFAULT_THRESHOLD = 5
DEFAULT_SENSITIVE = {"1.4.1": "zedenmisdrijf", "MMA-HG": "huiselijk geweld"}
DEFAULT_MIN_LEVEL = "wijk"

_CODE = {reason: code for code, reason in enumerate(REASONS)}
_SHOWN, _SMALL, _SENSITIVE, _COMPLEMENTARY = range(4)
_TOL = 1e-7
_REFINE = 30
_SEED = 20240505
_PATIENCE = 3  # rounds of complements without fewer pinned cells before small ones are shown as x


def level_rank(level: str) -> int:
    """0 for buurt, 1 for wijk and area groups, 2 for gemeente; ValueError for anything else."""
    try:
        return LEVEL_RANK[str(level).lower()]
    except KeyError:
        raise ValueError(f"unknown area level {level!r}; expected one of {sorted(LEVEL_RANK)}") from None


@dataclass(frozen=True)
class Rules:
    """The disclosure rules of public views (see the module docstring)."""

    threshold: int = DEFAULT_THRESHOLD  # counts 1..threshold-1 are hidden; 0 is shown
    sensitive_categories: frozenset[str] = frozenset(DEFAULT_SENSITIVE)  # category codes
    sensitive_min_level: str = DEFAULT_MIN_LEVEL  # smallest area level at which they are shown
    sensitive_names: tuple[str, ...] = tuple(DEFAULT_SENSITIVE.values())  # Dutch names for notes

    def __post_init__(self) -> None:
        if int(self.threshold) != self.threshold or self.threshold < 1:
            raise ValueError("disclosure threshold must be a whole number of at least 1")
        level_rank(self.sensitive_min_level)
        object.__setattr__(self, "threshold", int(self.threshold))
        object.__setattr__(self, "sensitive_categories", frozenset(self.sensitive_categories))
        object.__setattr__(self, "sensitive_names", tuple(self.sensitive_names))

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Rules:
        """The rules from the settings dict (`disclosure:` block); defaults where a key is missing.

        `sensitive_categories` is a mapping code -> Dutch name, or a plain list of codes."""
        block = settings.get("disclosure") or {}
        categories = block.get("sensitive_categories", DEFAULT_SENSITIVE)
        if isinstance(categories, Mapping):
            codes, names = [str(code) for code in categories], [str(name) for name in categories.values()]
        else:
            codes = names = [str(code) for code in categories or []]
        return cls(
            threshold=int(block.get("threshold", DEFAULT_THRESHOLD)),
            sensitive_categories=frozenset(codes),
            sensitive_min_level=str(block.get("sensitive_min_level", DEFAULT_MIN_LEVEL)),
            sensitive_names=tuple(names),
        )

    @property
    def small_label(self) -> str:
        """How a hidden small count is shown: '< 5'."""
        return f"< {self.threshold}"

    def is_sensitive(self, category_codes: str | Iterable[str], level: str) -> bool:
        """True when any of the categories is sensitive and `level` is below the minimum level
        (a theme that includes zedenmisdrijf, shown per buurt, is sensitive as a whole)."""
        codes = {category_codes} if isinstance(category_codes, str) else set(category_codes)
        below = level_rank(level) < level_rank(self.sensitive_min_level)
        return below and not codes.isdisjoint(self.sensitive_categories)

    def public_view(self, category_codes: Sequence[str], level: str) -> tuple[tuple[str, ...], str, str | None]:
        """What a public view shows of a selection of categories at `level`: (codes, level, note).

        Below the minimum level a sum that includes a sensitive category leaves it out (otherwise
        it could be derived by subtracting the other categories, which are shown per buurt too); a
        selection of sensitive categories only moves up to the minimum level. The note says so."""
        codes = tuple(category_codes)
        if not self.is_sensitive(codes, level):
            return codes, level, None
        kept = tuple(c for c in codes if c not in self.sensitive_categories)
        names = dutch_list(self.sensitive_names) or "gevoelige categorieën"
        if kept:
            return kept, level, f"Zonder {names}: die worden openbaar alleen per {self.sensitive_min_level} getoond."
        return (
            codes,
            self.sensitive_min_level,
            (f"{names[:1].upper()}{names[1:]} worden openbaar alleen per {self.sensitive_min_level} getoond."),
        )

    def sensitive_mask(self, category_codes: pd.Series, levels: pd.Series | str) -> pd.Series:
        """Vectorised `is_sensitive` for long data: one category code and one level per row."""
        if isinstance(levels, str):
            below = pd.Series(level_rank(levels) < level_rank(self.sensitive_min_level), index=category_codes.index)
        else:
            below = levels.map(level_rank) < level_rank(self.sensitive_min_level)
        return (category_codes.astype(str).isin(self.sensitive_categories) & below).astype(bool)

    def summary(self) -> str:
        """One Dutch line for export metadata ("Onthullingsregels")."""
        parts = []
        if self.threshold > 1:
            parts.append(f"aantallen onder {self.threshold} als '{self.small_label}'")
        if self.sensitive_categories:
            names = dutch_list(self.sensitive_names or sorted(self.sensitive_categories))
            parts.append(f"{names} alleen per {self.sensitive_min_level} of groter gebied")
        parts.append("aanvullende afscherming tegen afleiden uit totalen")
        return "Openbaar: " + ", ".join(parts)

    def notes(self, reasons: Iterable[str], *, chart: bool = False, derived: Sequence[str] = ()) -> list[str]:
        """Dutch notes for exactly the reasons that occur (table wording, or chart wording for gaps).

        `derived` names the derived columns (rates, changes) hidden with their counts."""
        occurring = set(reasons)
        t = self.threshold
        notes = []
        if SMALL in occurring:
            notes.append(
                f"Waarden van minder dan {t} incidenten zijn weggelaten, zodat personen niet herkenbaar zijn."
                if chart
                else f"{self.small_label}: minder dan {t}. Kleine aantallen worden in openbare weergaven niet "
                "getoond, zodat personen niet herkenbaar zijn."
            )
        if COMPLEMENTARY in occurring:
            notes.append(
                "Enkele andere waarden zijn ook weggelaten, zodat een verborgen aantal niet uit een totaal kan "
                "worden afgeleid."
                if chart
                else f"{HIDDEN_MARK}: afgeschermd, zodat een verborgen aantal niet uit een totaal kan worden afgeleid."
            )
        if SENSITIVE in occurring:
            names = dutch_list(self.sensitive_names) or "gevoelige categorieën"
            notes.append(
                f"{names[:1].upper()}{names[1:]} worden openbaar alleen per {self.sensitive_min_level} of groter "
                "gebied getoond" + ("." if chart else f" ({HIDDEN_MARK}).")
            )
        if DERIVED in occurring and derived:
            columns = "de kolom" if len(derived) == 1 else "de kolommen"
            notes.append(
                f"{HIDDEN_MARK} in {columns} {dutch_list(list(derived))}: niet getoond, omdat het aantal waaruit dit "
                "volgt verborgen is."
            )
        return notes


# --- the core, on long data ---------------------------------------------------------------------


@dataclass
class _Cells:
    """Long data prepared for the checks: counts, lines and each line's total."""

    values: np.ndarray  # counts as floats, missing -> 0
    present: np.ndarray  # the cell has a count
    ids: list[np.ndarray]  # per line type: each cell's line number
    totals: list[np.ndarray]  # per line type: each line's total
    threshold: int

    @classmethod
    def build(cls, cells: pd.DataFrame, count: str, lines: Sequence[Sequence[str]], threshold: int) -> _Cells:
        raw = pd.to_numeric(cells[count], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        present = ~np.isnan(raw)
        if (raw[present] < 0).any():
            raise ValueError(f"{count}: counts must be >= 0")
        values = np.where(present, raw, 0.0)
        ids = []
        for spec in lines:
            if list(spec):
                ids.append(cells.groupby(list(spec), sort=False, dropna=False).ngroup().to_numpy(dtype=np.int64))
            else:
                ids.append(np.zeros(len(cells), dtype=np.int64))
        totals = [np.bincount(g, weights=values) for g in ids]
        return cls(values, present, ids, totals, threshold)

    def bounds(self, codes: np.ndarray, strict: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """What a reader knows of each cell: [low, high] (a visible cell: its value)."""
        lo, hi = self.values.copy(), self.values.copy()
        small = codes == _SMALL
        lo[small], hi[small] = 1.0, self.threshold - 1.0
        other = (codes == _SENSITIVE) | (codes == _COMPLEMENTARY)
        lo[other], hi[other] = 0.0, np.inf
        if strict:  # a positive "x" would have been shown: it is not small
            lo[(codes == _COMPLEMENTARY) & (self.values >= self.threshold)] = float(self.threshold)
        return lo, hi

    def small_total(self, k: int) -> np.ndarray:
        """Lines whose total is itself small: shown as '< 5', so known only to lie in [1, threshold-1]."""
        return (self.totals[k] > 0) & (self.totals[k] < self.threshold)


def _line_pins(cells: _Cells, codes: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which positive hidden values lines of type k pin on their own: (pinned cells, lines holding
    one, lines where one is pinned from above, so only a complement larger than the threshold
    adds room)."""
    g, t = cells.ids[k], cells.threshold
    n_lines = cells.totals[k].size
    hidden = codes != _SHOWN
    lo, hi = cells.bounds(codes)
    finite = np.isfinite(hi)
    visible = np.bincount(g, weights=np.where(hidden, 0.0, cells.values), minlength=n_lines)
    small = cells.small_total(k)
    sum_min = np.where(small, 1.0, cells.totals[k]) - visible  # what the hidden cells sum to, at least
    sum_max = np.where(small, t - 1.0, cells.totals[k]) - visible
    sum_lo = np.bincount(g, weights=np.where(hidden, lo, 0.0), minlength=n_lines)
    sum_hi = np.bincount(g, weights=np.where(hidden & finite, hi, 0.0), minlength=n_lines)
    n_inf = np.bincount(g, weights=(hidden & ~finite).astype(float), minlength=n_lines)
    others_hi = np.where(n_inf[g] - (~finite) > 0.5, np.inf, sum_hi[g] - np.where(finite, hi, 0.0))
    others_lo = sum_lo[g] - lo
    low = np.maximum(lo, sum_min[g] - others_hi)
    high = np.minimum(hi, sum_max[g] - others_lo)
    positive = hidden & (cells.values > 0)
    pinned = positive & (high - low < _TOL)
    no_room_above = positive & (high - lo < _TOL)
    lines = np.bincount(g[pinned], minlength=n_lines) > 0
    return pinned, lines, np.bincount(g[no_room_above], minlength=n_lines) > 0


def _new_lines(cells: _Cells, codes: np.ndarray, skip: int | None = None) -> np.ndarray:
    """Per cell: how many of its lines have no hidden cell yet (hiding it would open them)."""
    result = np.zeros(codes.size, dtype=np.int64)
    hidden = (codes != _SHOWN).astype(float)
    for k, g in enumerate(cells.ids):
        if k != skip:
            result += np.bincount(g, weights=hidden, minlength=cells.totals[k].size)[g] == 0
    return result


def _preference(values: np.ndarray, opens: np.ndarray, threshold: int) -> tuple[np.ndarray, ...]:
    """np.lexsort keys (last = most important) ranking candidate complements, best first: a cell
    with a positive count (a hidden 0 protects little), that opens no new lines (no chain of
    further complements), larger than the threshold (one at exactly the threshold sits at the
    bound a reader knows), and then the smallest count (least information lost)."""
    return values, values == threshold, opens, values == 0


def _complete_lines(cells: _Cells, codes: np.ndarray, eligible: np.ndarray) -> None:
    """Hide further cells until no line on its own pins a positive hidden value.

    A complement adds room below a pinned value when it could be large, and above it only when
    its count exceeds what the reader knows (the threshold). A line with no such cell left shows
    its pinned small counts as "x" (anything >= 0) instead of "< 5": four "< 5" in a buurt whose
    total is "< 5" are all 1."""
    changed = True
    while changed:
        changed = False
        for k, g in enumerate(cells.ids):
            pinned, need, need_above = _line_pins(cells, codes, k)
            if not need.any():
                continue
            useful = eligible & (codes == _SHOWN) & need[g] & (~need_above[g] | (cells.values > cells.threshold))
            candidates = np.flatnonzero(useful)
            if candidates.size:
                keys = _preference(
                    cells.values[candidates], _new_lines(cells, codes, skip=k)[candidates], cells.threshold
                )
                order = candidates[np.lexsort((*keys, g[candidates]))]
                first = np.ones(order.size, dtype=bool)
                first[1:] = g[order][1:] != g[order][:-1]
                codes[order[first]] = _COMPLEMENTARY
                changed = True
            stranded = need & (np.bincount(g[candidates], minlength=need.size) == 0)
            relabel = pinned & stranded[g] & (codes == _SMALL)
            if relabel.any():
                codes[relabel] = _COMPLEMENTARY
                changed = True


@dataclass
class _System:
    """The reader's equations over the unknowns: the hidden cells, then one unknown per line whose
    total is small (that total, in [1, threshold-1]). Row per line holding a hidden cell:
    sum of its hidden cells - small total = rhs."""

    hidden: np.ndarray  # positions of the hidden cells (the first len(hidden) unknowns)
    matrix: sparse.csr_matrix
    rhs: np.ndarray
    truth: np.ndarray  # true value of every unknown
    lo: np.ndarray
    hi: np.ndarray
    row_of: list[np.ndarray]  # per line type: each line's row, -1 when it holds no hidden cell
    total_lines: list[tuple[int, int]]  # per small-total unknown (after the cells): its line type and line


def _system(cells: _Cells, codes: np.ndarray, strict: bool = True) -> _System:
    from scipy import sparse

    hidden = np.flatnonzero(codes != _SHOWN)
    n, t = hidden.size, cells.threshold
    lo, hi = cells.bounds(codes, strict)
    rows, cols, coef, rhs, truth = [], [], [], [], [cells.values[hidden]]
    lo_parts, hi_parts = [lo[hidden]], [hi[hidden]]
    n_rows, n_unknowns, row_of, total_lines = 0, n, [], []
    for k, g in enumerate(cells.ids):
        lines, inverse = np.unique(g[hidden], return_inverse=True)
        row_of.append(np.full(cells.totals[k].size, -1))
        row_of[-1][lines] = np.arange(lines.size) + n_rows
        rows.append(inverse + n_rows)
        cols.append(np.arange(n))
        coef.append(np.ones(n))
        visible = np.bincount(g, weights=np.where(codes == _SHOWN, cells.values, 0.0), minlength=cells.totals[k].size)
        small = cells.small_total(k)[lines]
        rhs.append(np.where(small, 0.0, cells.totals[k][lines]) - visible[lines])
        n_small = int(small.sum())
        rows.append(np.flatnonzero(small) + n_rows)
        cols.append(np.arange(n_small) + n_unknowns)
        coef.append(-np.ones(n_small))
        truth.append(cells.totals[k][lines][small])
        total_lines += [(k, int(line)) for line in lines[small]]
        lo_parts.append(np.ones(n_small))
        hi_parts.append(np.full(n_small, t - 1.0))
        n_rows += lines.size
        n_unknowns += n_small
    matrix = (
        sparse.csr_matrix(
            (np.concatenate(coef), (np.concatenate(rows), np.concatenate(cols))), shape=(n_rows, n_unknowns)
        )
        if cells.ids
        else sparse.csr_matrix((0, n))
    )
    return _System(
        hidden,
        matrix,
        np.concatenate(rhs) if rhs else np.zeros(0),
        np.concatenate(truth),
        np.concatenate(lo_parts),
        np.concatenate(hi_parts),
        row_of,
        total_lines,
    )


def _components(a: sparse.csr_matrix) -> tuple[int, np.ndarray, np.ndarray]:
    """Connected components of unknowns linked by shared equations: (count, row labels, column labels)."""
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    m, n = a.shape
    if m == 0 or n == 0:
        return n, np.zeros(m, dtype=np.int64), np.arange(n)
    graph = sparse.bmat([[None, a], [a.T, None]], format="csr")
    count, labels = connected_components(graph, directed=False)
    return count, labels[:m], labels[m:]


@dataclass
class _Stuck:
    """Hidden cells a reader can pin down, with hints for which further cell would free them."""

    cells: np.ndarray  # positions of pinned hidden cells with a positive count
    row_of: list[np.ndarray]  # per line type: each line's row in the equations (-1: none)
    certificates: dict[int, tuple[np.ndarray, bool]]  # cell -> (row weights proving it pinned, from the LP)
    fixed: np.ndarray  # of `cells`: pinned by its own bounds ("< 2" can only be 1)
    totals: list[tuple[int, int, tuple[np.ndarray, bool] | None]] = dataclasses.field(default_factory=list)
    # small line totals ('< 5') a reader can pin down: line type, line and certificate

    @property
    def size(self) -> int:
        return int(self.cells.size) + len(self.totals)


def _stuck(cells: _Cells, codes: np.ndarray) -> _Stuck:
    """Hidden cells with a positive count whose value a reader can pin down exactly.

    The reader's feasible set is a polytope containing the true counts; a cell is pinned iff no
    direction d of its tangent cone there has d_i != 0. The cone: A d = 0 (line equations),
    d_i >= 0 where an unknown sits at its lower bound, <= 0 at its upper bound. One LP finds which
    of the unknowns at a bound can move (all at once: their signs never cancel); those that cannot
    are fixed, and the others can move iff the equations over the remaining unknowns do not
    determine them (the diagonal of the projector onto the row space is 1).

    Certificates: for a cell pinned in the LP its dual row prices; for a determined cell z with
    A^T z = e_i. A further hidden cell c with rows r breaks the certificate when sum z[r] != 0."""
    from scipy import sparse
    from scipy.optimize import linprog

    system = _system(cells, codes)
    n = system.hidden.size
    certificates: dict[int, tuple[np.ndarray, bool]] = {}
    if n == 0:
        return _Stuck(system.hidden, system.row_of, certificates, np.zeros(0, dtype=bool))  # no totals without cells
    a, v = system.matrix, system.truth
    at_lo, at_hi = v <= system.lo + _TOL, v >= system.hi - _TOL
    fixed = at_lo & at_hi
    one_sided = np.flatnonzero(at_lo ^ at_hi)
    stuck = fixed.copy()
    if one_sided.size:
        m, b = a.shape[1], one_sided.size
        sign = np.where(at_lo[one_sided], 1.0, -1.0)
        # maximise sum s subject to A d = 0, s_j <= sign_j d_j, 0 <= s_j <= 1
        a_ub = sparse.hstack(
            [sparse.csr_matrix((-sign, (np.arange(b), one_sided)), shape=(b, m)), sparse.identity(b)], format="csr"
        )
        a_eq = sparse.hstack([a, sparse.csr_matrix((a.shape[0], b))], format="csr")
        bounds = np.column_stack([np.where(fixed, 0.0, -np.inf), np.where(fixed, 0.0, np.inf)])
        bounds = np.vstack([bounds, np.tile([0.0, 1.0], (b, 1))])
        objective = np.concatenate([np.zeros(m), -np.ones(b)])
        result = linprog(objective, A_ub=a_ub, b_ub=np.zeros(b), A_eq=a_eq, b_eq=np.zeros(a.shape[0]), bounds=bounds)
        if not result.success:  # pragma: no cover - the cone always contains 0
            raise RuntimeError(f"disclosure check failed: {result.message}")
        blocked = one_sided[result.x[m:] < 0.5]
        stuck[blocked] = True
        prices = np.asarray(result.eqlin.marginals, dtype=float)
        certificates.update({int(j): (prices, True) for j in blocked})
    keep = np.flatnonzero(~stuck)
    if keep.size:
        sub = a[:, keep].tocsc()
        used_rows = np.flatnonzero(sub.getnnz(axis=1))
        sub = sub[used_rows]
        count, row_labels, col_labels = _components(sub)
        for label in range(count):
            rows, cols = np.flatnonzero(row_labels == label), np.flatnonzero(col_labels == label)
            if rows.size == 0:
                continue
            block = sub[rows][:, cols].tocsr()
            determined, certify = _determined(block)
            if not determined.any():
                continue
            stuck[keep[cols[determined]]] = True
            real = np.flatnonzero(determined)
            if real.size:
                weights = certify(block[:, real].toarray())
                for j, column in enumerate(real):
                    certificate = np.zeros(a.shape[0])
                    certificate[used_rows[rows]] = weights[:, j]
                    certificates[int(keep[cols[column]])] = (certificate, False)
    pinned = np.flatnonzero(stuck[:n] & (v[:n] > 0))
    totals = [(*system.total_lines[j - n], certificates.get(int(j))) for j in np.flatnonzero(stuck[n:]) + n]
    return _Stuck(
        system.hidden[pinned],
        system.row_of,
        _certificates_for(certificates, pinned, system.hidden),
        fixed[pinned],
        totals,
    )


def _determined(block: sparse.csr_matrix) -> tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]:
    """Which unknowns the equations `block` d = 0 force to 0, and a solver for certificates.

    d_i is forced iff every null vector has d_i = 0; the projection of random vectors onto the
    null space shows the support (exact zeros stay ~1e-12; a free unknown is ~0 by chance with
    probability ~1e-7, and then only gets an unneeded complement). The projection solves
    (B B^T) y = B r with a dense Cholesky factor of B B^T + eps I and iterative refinement, which
    removes the eps bias; should that not converge, with the pseudo-inverse (slower, exact)."""
    from scipy.linalg import cho_factor, cho_solve

    gram = (block @ block.T).toarray()
    eps = 1e-9 * max(1.0, float(gram.diagonal().max()))
    factor = cho_factor(gram + eps * np.eye(gram.shape[0]))
    pseudo_inverse: list[np.ndarray] = []

    def solve(rhs: np.ndarray) -> np.ndarray:  # a solution of (B B^T) y = rhs, rhs in the range of B
        if pseudo_inverse:
            return pseudo_inverse[0] @ rhs
        y = np.zeros_like(rhs)
        scale = max(1.0, float(np.abs(rhs).max(initial=0.0)))
        for _ in range(_REFINE):
            residual = rhs - block @ (block.T @ y)
            if np.abs(residual).max(initial=0.0) <= 1e-12 * scale:
                return y
            y += cho_solve(factor, residual)
        pseudo_inverse.append(np.linalg.pinv(gram, hermitian=True, rtol=1e-10))
        return pseudo_inverse[0] @ rhs

    probes = np.random.default_rng(_SEED).standard_normal((block.shape[1], 2))  # fixed seed: same input, same output
    null = probes - block.T @ solve(block @ probes)
    return np.abs(null).max(axis=1) < 1e-7 * np.abs(probes).max(), solve


def _certificates_for(
    certificates: dict[int, tuple[np.ndarray, bool]], unknowns: np.ndarray, hidden: np.ndarray
) -> dict[int, tuple[np.ndarray, bool]]:
    """Re-key certificates from unknown index to cell position."""
    return {int(hidden[j]): certificates[int(j)] for j in unknowns if int(j) in certificates}


def _fix(cells: _Cells, codes: np.ndarray, eligible: np.ndarray, stuck: _Stuck, *, guided: bool = True) -> bool:
    """Hide one further cell in a line of each stuck cell (skipping cells whose lines got one this
    round), the best by `_preference`; `guided`: only a cell that breaks the stuck cell's
    certificate. For an LP certificate (row prices y) a cell c with rows r breaks it when
    sum y[r] != 0, or > 0 when c can only grow (a 0, or a count at the threshold: at the reader's
    lower bound); for a determined cell (A^T z = e_i) when sum z[r] != 0."""
    members = []  # per line type: cells sorted by line, and where each line starts
    for k, g in enumerate(cells.ids):
        order = np.argsort(g, kind="stable")
        members.append((order, np.searchsorted(g[order], np.arange(cells.totals[k].size + 1))))
    opens = _new_lines(cells, codes)
    touched: set[tuple[int, int]] = set()
    added = False
    for cell in stuck.cells[~stuck.fixed]:
        own = {(k, int(g[cell])) for k, g in enumerate(cells.ids)}
        if own & touched:
            continue
        parts = [members[k][0][members[k][1][line] : members[k][1][line + 1]] for k, line in own]
        pool = np.unique(np.concatenate(parts))
        pool = pool[eligible[pool] & (codes[pool] == _SHOWN)]
        values = cells.values[pool]
        breaks = np.ones(pool.size, dtype=bool)
        if guided and int(cell) in stuck.certificates:
            certificate, from_lp = stuck.certificates[int(cell)]
            weight = np.zeros(pool.size)
            for k, g in enumerate(cells.ids):
                row = stuck.row_of[k][g[pool]]
                weight += np.where(row >= 0, certificate[np.maximum(row, 0)], 0.0)
            grows_only = from_lp & (values <= cells.threshold)
            breaks = np.where(grows_only, weight > 1e-9, np.abs(weight) > 1e-9)
        pool, values = pool[breaks], values[breaks]
        if pool.size == 0:
            continue
        best = pool[np.lexsort(_preference(values, opens[pool], cells.threshold))[0]]
        codes[best] = _COMPLEMENTARY
        touched |= own | {(k, int(g[best])) for k, g in enumerate(cells.ids)}
        added = True
    for k, line, pinned in stuck.totals:  # a pinned '< 5' total: a cell that breaks its certificate
        if pinned is None or (k, line) in touched:
            continue
        total_weights, total_from_lp = pinned
        weight = np.zeros(codes.size)
        for kk, g in enumerate(cells.ids):
            row = stuck.row_of[kk][g]
            weight += np.where(row >= 0, total_weights[np.maximum(row, 0)], 0.0)
        grows_only = total_from_lp & (cells.values <= cells.threshold)
        breaks = np.where(grows_only, weight > 1e-9, np.abs(weight) > 1e-9) if guided else np.abs(weight) > 1e-9
        pool = np.flatnonzero(breaks & eligible & (codes == _SHOWN))
        if pool.size == 0:
            continue
        best = pool[np.lexsort(_preference(cells.values[pool], opens[pool], cells.threshold))[0]]
        codes[best] = _COMPLEMENTARY
        touched |= {(k, line)} | {(kk, int(g[best])) for kk, g in enumerate(cells.ids)}
        added = True
    return added


def _mask(cells: pd.DataFrame, sensitive: pd.Series | np.ndarray | Sequence[bool] | str | None) -> np.ndarray:
    if sensitive is None:
        return np.zeros(len(cells), dtype=bool)
    if isinstance(sensitive, str):
        sensitive = cells[sensitive]
    mask = np.asarray(sensitive, dtype=bool)
    if mask.shape != (len(cells),):
        raise ValueError("sensitive must have one value per cell")
    return mask


def suppress(
    cells: pd.DataFrame,
    count: str,
    lines: Sequence[Sequence[str]],
    rules: Rules,
    sensitive: pd.Series | np.ndarray | Sequence[bool] | str | None = None,
) -> pd.Series:
    """Why each cell is hidden: '' (shown), 'klein' (show '< 5'), 'gevoelig' or 'aanvullend' (show
    'x'); a Series on the index of `cells`.

    `lines`: lists of columns of `cells`; each groups cells whose sum is public or derivable
    ([] = all cells in one line). `sensitive`: a boolean per cell (or the name of such a column),
    e.g. from `rules.sensitive_mask`. Missing counts are never hidden nor used as complements. A
    line total below the threshold counts as shown '< 5' (known to lie in [1, threshold-1]) unless
    other totals give it away. A small count that its '< 5' label would give away and that no
    complement can protect is reported 'aanvullend' (shown 'x'). See the module docstring."""
    table = _Cells.build(cells, count, lines, rules.threshold)
    values, present = table.values, table.present
    codes = np.full(len(cells), _SHOWN, dtype=np.int8)
    codes[present & (values > 0) & (values < rules.threshold)] = _SMALL
    codes[_mask(cells, sensitive) & present] = _SENSITIVE
    if table.ids and (codes != _SHOWN).any():
        # A cell that is a line on its own (a wijk of one buurt) equals a public total: hiding it protects nothing.
        alone = np.zeros(len(cells), dtype=bool)
        for g in table.ids:
            alone |= np.bincount(g)[g] == 1
        eligible = present & (codes == _SHOWN) & ~alone
        fewest, stale = np.inf, 0
        while True:
            _complete_lines(table, codes, eligible)
            if len(table.ids) == 1:
                break  # lines do not interact: the line-by-line check is exact
            stuck = _stuck(table, codes)
            if stuck.size == 0:
                break
            stale = 0 if stuck.size < fewest else stale + 1
            fewest = min(fewest, stuck.size)
            if stale < _PATIENCE and _fix(table, codes, eligible, stuck):
                continue
            # Further complements do not help: the "< 5" label itself gives these away (two "< 5"
            # summing to a public 8 are both 4). Shown as "x" they could be anything >= 0.
            small = stuck.cells[codes[stuck.cells] == _SMALL]
            if small.size:
                codes[small] = _COMPLEMENTARY
                fewest, stale = np.inf, 0
            elif not _fix(table, codes, eligible, stuck, guided=False):
                break
    return pd.Series(np.asarray(REASONS, dtype=object)[codes], index=cells.index, name="reason", dtype="string")


def audit(
    cells: pd.DataFrame,
    count: str,
    lines: Sequence[Sequence[str]],
    reasons: pd.Series | Sequence[str],
    rules: Rules,
    *,
    strict: bool = True,
) -> pd.DataFrame:
    """The hidden cells, each with the range [low, high] a reader can derive (scipy linprog).

    The reader knows each line's total (exactly, or in [1, threshold-1] when it is small), the
    visible cells, that counts are >= 0 and that a 'klein' cell lies in [1, threshold-1]; with
    `strict` also that a positive 'aanvullend' cell is at least the threshold (it would have been
    shown). Columns added: reason, low, high (inf when unbounded) and protected (low < high).
    Two LPs per hidden cell: for tests and checks of tables of a few hundred cells, not for pages."""
    from scipy.optimize import linprog  # loaded on first use: pages that never solve skip it

    table = _Cells.build(cells, count, lines, rules.threshold)
    codes = np.asarray([_CODE[str(r)] for r in reasons], dtype=np.int8)
    system = _system(table, codes, strict)
    hidden, a = system.hidden, system.matrix
    low, high = system.lo[: hidden.size].copy(), system.hi[: hidden.size].copy()
    n_comp, row_labels, col_labels = _components(a)
    for label in range(n_comp):
        rows, cols = np.flatnonzero(row_labels == label), np.flatnonzero(col_labels == label)
        if rows.size == 0:
            continue  # in no line: only its own bounds
        block = a[rows][:, cols]
        pairs = zip(system.lo[cols], system.hi[cols], strict=True)
        bounds = [(low_j, None if np.isinf(high_j) else high_j) for low_j, high_j in pairs]
        for j, col in enumerate(cols):
            if col >= hidden.size:
                continue  # a small line total, not a cell
            for sign in (1.0, -1.0):
                objective = np.zeros(cols.size)
                objective[j] = sign
                result = linprog(objective, A_eq=block, b_eq=system.rhs[rows], bounds=bounds)
                if result.status == 3:  # unbounded: only the maximum can be
                    high[col] = np.inf
                elif not result.success:  # pragma: no cover - the true counts are feasible
                    raise RuntimeError(f"audit failed: {result.message}")
                elif sign > 0:
                    low[col] = result.fun
                else:
                    high[col] = -result.fun
    out = cells.iloc[hidden].copy()
    out["reason"] = np.asarray(REASONS, dtype=object)[codes[hidden]]
    out["low"], out["high"] = np.round(low, 6), np.round(high, 6)
    out["protected"] = out["high"] - out["low"] > 1e-6
    return out


# --- wide tables and charts ---------------------------------------------------------------------


@dataclass(frozen=True)
class Protected:
    """A table or chart data ready for a public view.

    frame: the data with hidden cells replaced (tables: '< 5' or 'x' as text, so those columns
    become object; charts: NaN). hidden: True where a value is hidden. reasons: '' or the reason
    ('klein', 'gevoelig', 'aanvullend', 'afgeleid'). notes: Dutch notes for the reasons that occur."""

    frame: pd.DataFrame
    hidden: pd.DataFrame | pd.Series
    reasons: pd.DataFrame | pd.Series
    notes: list[str]


def protect_table(
    frame: pd.DataFrame,
    counts: Sequence[str],
    rules: Rules,
    *,
    derived: Mapping[str, Sequence[str]] | None = None,
    lines: Sequence[Sequence[str]] | None = None,
    row_totals: bool = False,
    sensitive: pd.Series | np.ndarray | Sequence[bool] | Sequence[str] | pd.DataFrame | None = None,
    labels: Mapping[str, str] | None = None,
) -> Protected:
    """A wide table (rows e.g. buurten, count columns e.g. categories or years) for public view.

    `lines`: groupings of rows, as lists of the frame's other columns; each count column summed
    within each group is public. Default [[]]: every count column's total over all rows is public
    (pass [["wijk"], []] when wijk totals are public too, [] when no column total is). With
    `row_totals`, each row's sum over the count columns is public too. `derived` maps a column to
    the count columns it is computed from ({"Per 1.000 inwoners": ["Aantal"]}): hidden with them.
    `sensitive`: a boolean per row, names of count columns, or a boolean frame over the count
    columns; those counts are hidden ('gevoelig'). Hidden cells read '< 5' or 'x' (text).
    `labels`: Dutch names of derived columns for the notes, where the column name is not one."""
    counts = list(counts)
    derived = {column: list(sources) for column, sources in (derived or {}).items()}
    n_rows = len(frame)
    reasons = pd.DataFrame(SHOWN, index=frame.index, columns=frame.columns, dtype=object)
    if counts and n_rows:
        attributes = sorted({column for spec in (lines or []) for column in spec})
        base = pd.DataFrame({column: frame[column].to_numpy() for column in attributes})
        long = pd.concat(
            [base.assign(_row=np.arange(n_rows), _col=column, _count=frame[column].to_numpy()) for column in counts],
            ignore_index=True,
        )
        specs = [["_col", *spec] for spec in ([[]] if lines is None else lines)]
        if row_totals:
            specs.append(["_row"])
        found = suppress(long, "_count", specs, rules, sensitive=_table_mask(frame, counts, sensitive))
        found = found.to_numpy(dtype=object).reshape(len(counts), n_rows)
        for j, column in enumerate(counts):
            reasons[column] = found[j]
    return labelled_table(frame, reasons, rules, derived=derived, labels=labels, counts=counts)


def labelled_table(
    frame: pd.DataFrame,
    reasons: pd.DataFrame,
    rules: Rules,
    *,
    counts: Sequence[str],
    derived: Mapping[str, Sequence[str]] | None = None,
    labels: Mapping[str, str] | None = None,
) -> Protected:
    """A wide table with the reasons of its `counts` cells decided already (e.g. by a `Release`):
    hidden counts read '< 5' or 'x', and so do the `derived` columns computed from them."""
    derived = {column: list(sources) for column, sources in (derived or {}).items()}
    reasons = reasons.reindex(index=frame.index, columns=frame.columns).astype(object).fillna(SHOWN)
    for column, sources in derived.items():
        reasons.loc[(reasons[sources] != SHOWN).any(axis=1).to_numpy(), column] = DERIVED
    hidden = reasons != SHOWN
    out = frame.copy()
    marks = {SMALL: rules.small_label}
    for column in dict.fromkeys([*counts, *derived]):
        mask = hidden[column].to_numpy()
        if mask.any():
            shown = out[column].to_numpy(dtype=object).copy()
            shown[mask] = [marks.get(reason, HIDDEN_MARK) for reason in reasons[column].to_numpy()[mask]]
            out[column] = pd.Series(shown, index=out.index, dtype=object)
    occurring = set(reasons.to_numpy().ravel())
    hidden_derived = [(labels or {}).get(c, c) for c in derived if (reasons[c] == DERIVED).any()]
    notes = rules.notes(occurring, derived=list(dict.fromkeys(hidden_derived)))
    return Protected(frame=out, hidden=hidden, reasons=reasons, notes=notes)


def _table_mask(
    frame: pd.DataFrame,
    counts: list[str],
    sensitive: pd.Series | np.ndarray | Sequence[bool] | Sequence[str] | pd.DataFrame | None,
) -> np.ndarray:
    """The sensitive cells of a wide table, in the long order of `protect_table` (column by column)."""
    n_rows = len(frame)
    if sensitive is None:
        return np.zeros(n_rows * len(counts), dtype=bool)
    if isinstance(sensitive, pd.DataFrame):
        return np.concatenate([sensitive[column].to_numpy(dtype=bool) for column in counts])
    items = list(sensitive)
    if items and all(isinstance(item, str) for item in items):
        return np.repeat([column in items for column in counts], n_rows)
    rows = np.asarray(items, dtype=bool)
    if rows.shape != (n_rows,):
        raise ValueError("sensitive must be one boolean per row, count column names, or a boolean frame")
    return np.tile(rows, len(counts))


def protect_series(
    data: pd.DataFrame,
    count: str,
    rules: Rules,
    *,
    value: str | Sequence[str] | None = None,
    lines: Sequence[Sequence[str]] | None = None,
    sensitive: pd.Series | np.ndarray | Sequence[bool] | str | None = None,
) -> Protected:
    """Long chart data for public view: hidden counts (and the `value` columns computed from
    them, e.g. a rate) become NaN, so a line or bar shows a gap. `lines` as in `suppress`
    (default none: only small and sensitive cells are hidden). Notes use chart wording."""
    reasons = suppress(data, count, list(lines or []), rules, sensitive=sensitive)
    hidden = reasons != SHOWN
    out = data.copy()
    columns = [count, *([value] if isinstance(value, str) else list(value or []))]
    for column in columns:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float).mask(hidden.to_numpy())
    notes = rules.notes(set(reasons), chart=True)
    return Protected(frame=out, hidden=hidden.astype(bool), reasons=reasons, notes=notes)


# --- the public release: one protected set of figures per calendar year ------------------------
#
# Every public figure below gemeente level comes from one release per gemeente and calendar year,
# made once and shared by every page, so that no two public outputs differ by a hidden count:
#
# - periods are whole calendar years only (a comparison: the previous calendar year), so no two
#   public periods differ by a few months;
# - gemeente figures are public exactly (CBS StatLine publishes them per gemeente);
# - per wijk: one table of every category (sensitive ones included, as the rules allow per wijk),
#   suppressed with each category's gemeente total and each wijk's totals of "Alle misdrijven" and
#   "Overlast" (sensitive categories left out) as public lines;
# - per buurt: only those two totals (sensitive categories left out), suppressed with their gemeente
#   total and the wijk totals above as public lines; a buurt's single categories and themes are
#   not public (a theme minus a category is a category);
# - any other sum (a theme per wijk, an area group) is the sum of public figures: shown only when
#   each part is shown, else "x", so it adds nothing a reader could not add up.
# Hexagons (hotspots) are never public. `public_figure` answers for one area and selection.

PUBLIC_BUURT_OPTIONS = {"misdrijven": "Alle misdrijven", "overlast": "Overlast"}
NOT_PUBLIC = "niet openbaar"  # a buurt figure the release does not hold


@dataclass(frozen=True)
class Release:
    """The public figures of one gemeente and calendar year (see the section comment above).

    wijk: one row per wijk and category (incident_count, reason); buurt: one row per buurt and
    public total (option 'misdrijven' or 'overlast'; incident_count, reason); kinds: per category
    'misdrijven', 'overlast' or 'gevoelig'; gemeente: one row per category (incident_count, reason);
    totals: the category sets whose gemeente total is public (the options)."""

    year: int
    wijk: pd.DataFrame
    buurt: pd.DataFrame
    kinds: dict[str, str]
    gemeente: pd.DataFrame
    totals: frozenset[frozenset[str]]
    wijk_totals: pd.DataFrame  # wijk_code, kind ('misdrijven' or 'overlast'), incident_count, reason
    # Where the year's figures come from, per buurt and category: area_code, wijk_code, category_code,
    # kind, real_rows, demo_rows, months (with a row). None for one made by make_release alone.
    origin: pd.DataFrame | None = None
    # A digest of what the release was made from and its year (make_releases): equal keys, equal
    # releases. Empty for a release made otherwise. A page model's cache key uses it (fingerprint).
    key: bytes = b""

    @functools.cached_property
    def coverage(self) -> pd.DataFrame:
        """Per pair key (level, area_code, category_code) that "Wat valt op" compares
        (trends.released_comparison): where the year's figures come from and how much they cover
        (real_rows, demo_rows, cells, expected_cells), a wijk and category over its buurten and a
        buurt's public total over its categories. Worked out once per release, as the release is
        made once per content (make_releases): shared, so never changed by its readers."""
        origin = self.origin
        assert origin is not None
        sums = {"real_rows": "sum", "demo_rows": "sum", "cells": "sum", "expected_cells": "sum"}
        origin = origin.assign(cells=origin["months"], expected_cells=12)
        wijk = origin.rename(columns={"wijk_code": "area_code_"}).groupby(["area_code_", "category_code"]).agg(sums)
        wijk = wijk.reset_index().rename(columns={"area_code_": "area_code"}).assign(level="wijk")
        public = origin[origin["kind"].isin(list(PUBLIC_BUURT_OPTIONS))]
        buurt = public.groupby(["area_code", "kind"]).agg(sums).reset_index().rename(columns={"kind": "category_code"})
        return pd.concat([wijk, buurt.assign(level="buurt")], ignore_index=True)


def category_kinds(options: Mapping[str, Sequence[str]], rules: Rules) -> dict[str, str]:
    """Each category of the public totals: 'gevoelig', 'misdrijven' or 'overlast' (else left out)."""
    kinds: dict[str, str] = {}
    for option in PUBLIC_BUURT_OPTIONS:
        for code in options.get(option, ()):
            kinds.setdefault(str(code), SENSITIVE if code in rules.sensitive_categories else option)
    for codes in options.values():
        for code in codes:
            if code in rules.sensitive_categories:
                kinds[str(code)] = SENSITIVE
    return kinds


def make_release(year: int, cells: pd.DataFrame, options: Mapping[str, Sequence[str]], rules: Rules) -> Release:
    """The release of one year from `cells`: one row per buurt and category with columns
    area_code, wijk_code, category_code, incident_count (every buurt and category: zeros too).

    Four tables, each protected with the figures above it as public lines, largest first: the
    gemeente per category (every option's total public), the wijken's two public totals, the
    wijken per category, the buurten's two public totals. Where a figure above is hidden, the
    figures below it are hidden too ('x', not '< 5'): a '< 5' says "at least 1", and such lower
    bounds add up. A hidden figure above joins its siblings' line (its total taken as known)."""
    kinds = category_kinds(options, rules)
    cells = cells[cells["category_code"].isin(list(kinds))].assign(kind=lambda c: c["category_code"].map(kinds))
    gemeente = _gemeente_table(cells, options, kinds, rules)
    public = cells[cells["kind"] != SENSITIVE]
    wijk_totals = public.groupby(["wijk_code", "kind"], as_index=False)["incident_count"].sum()
    wijk_totals["reason"] = suppress(wijk_totals, "incident_count", [["kind"]], rules).to_numpy()
    visible = wijk_totals[wijk_totals["reason"] == SHOWN]
    shown_totals = set(zip(visible["wijk_code"], visible["kind"], strict=True))
    wijk = cells.groupby(["wijk_code", "category_code", "kind"], as_index=False)["incident_count"].sum()
    wijk["_line"] = [
        f"c:{code}" if kind == SENSITIVE else f"{w if (w, kind) in shown_totals else '-'}:{kind}"
        for w, code, kind in zip(wijk["wijk_code"], wijk["category_code"], wijk["kind"], strict=True)
    ]
    hidden_above = wijk["category_code"].isin(set(gemeente.loc[gemeente["reason"] != SHOWN, "category_code"])) | (
        wijk["_line"].str.startswith("-:")
    )  # under a hidden gemeente figure or a hidden wijk total
    wijk["reason"] = _below(wijk, [["category_code"], ["_line"]], hidden_above.to_numpy(), rules)
    frames = []
    for option in PUBLIC_BUURT_OPTIONS:
        totals = public[public["kind"] == option].groupby(["area_code", "wijk_code"], as_index=False)
        totals = totals["incident_count"].sum()
        above = np.array([(w, option) in shown_totals for w in totals["wijk_code"]], dtype=bool)
        totals["_line"] = np.where(above, totals["wijk_code"], "-")
        totals["reason"] = _below(totals, [[], ["_line"]], ~above, rules)
        frames.append(totals.drop(columns="_line").assign(option=option))
    return Release(
        year=int(year),
        wijk=wijk.drop(columns=["_line", "kind"]).reset_index(drop=True),
        buurt=pd.concat(frames, ignore_index=True),
        kinds=kinds,
        gemeente=gemeente,
        totals=_option_sets(options, kinds, rules),
        wijk_totals=wijk_totals,
    )


def _below(table: pd.DataFrame, lines: list[list[str]], hidden_above: np.ndarray, rules: Rules) -> np.ndarray:
    """`suppress` for figures under others: those under a hidden figure are hidden ('x') as well."""
    reasons = suppress(table, "incident_count", lines, rules, sensitive=hidden_above).to_numpy(dtype=object)
    reasons[hidden_above] = COMPLEMENTARY
    return reasons


def _option_sets(
    options: Mapping[str, Sequence[str]], kinds: Mapping[str, str], rules: Rules
) -> frozenset[frozenset[str]]:
    """The category sets, without sensitive categories, of the options with more than one such
    category: each a public gemeente total."""
    sets = {
        frozenset(c for c in codes if c in kinds and c not in rules.sensitive_categories) for codes in options.values()
    }
    return frozenset(found for found in sets if len(found) > 1)


def _gemeente_table(
    cells: pd.DataFrame, options: Mapping[str, Sequence[str]], kinds: Mapping[str, str], rules: Rules
) -> pd.DataFrame:
    """The gemeente's count per category (category_code, incident_count, reason). Every option's
    total without the sensitive categories is public, so a small category gets complements among
    the others. A sensitive category is shown on its own ('< 5' when small) and left out of every
    total while hidden: otherwise a total with it minus the same total without it gives it away."""
    table = cells.groupby("category_code", as_index=False)["incident_count"].sum()
    sensitive = table["category_code"].isin(rules.sensitive_categories).to_numpy()
    table["reason"] = [SMALL if 0 < n < rules.threshold else SHOWN for n in table["incident_count"]]
    part = table[~sensitive].copy()
    lines = []
    for i, found in enumerate(sorted(_option_sets(options, kinds, rules), key=sorted)):
        part[f"_o{i}"] = np.where(part["category_code"].isin(list(found)), "in", "out")
        lines.append([f"_o{i}"])
    table.loc[~sensitive, "reason"] = suppress(part, "incident_count", lines, rules).to_numpy()
    return table[["category_code", "incident_count", "reason"]]


def make_releases(
    yearly: pd.DataFrame,
    buurten: pd.DataFrame,
    options: Mapping[str, Sequence[str]] | Sequence[tuple[str, Sequence[str]]],
    rules: Rules,
) -> dict[int, Release]:
    """A release per complete calendar year. yearly: queries.buurt_year_counts of every buurt (one
    row per buurt, year and category, with year_months: the months of the year with a row);
    buurten: area_code and parent_code of every buurt; options: the categories of each option (a
    mapping, or its items).

    Made once per content: the pages, the PDF and the tests ask for the same releases again
    (a second or more for a gemeente the size of Dordrecht); the same inputs give the same,
    shared, releases (a Release is frozen and its tables are not changed)."""
    options = dict(options)
    key = _content_key(yearly, buurten, options, rules)
    with _RELEASES_LOCK:
        found = _RELEASES.get(key)
    if found is None:
        made = _made_releases(yearly, buurten, options, rules)
        found = {year: dataclasses.replace(r, key=key + year.to_bytes(2, "big")) for year, r in made.items()}
        with _RELEASES_LOCK:
            _RELEASES[key] = found
            while len(_RELEASES) > _RELEASES_KEPT:
                _RELEASES.pop(next(iter(_RELEASES)))
    return dict(found)


_RELEASES: dict[bytes, dict[int, Release]] = {}  # by content key, oldest first
_RELEASES_KEPT = 8
_RELEASES_LOCK = threading.Lock()


def _content_key(
    yearly: pd.DataFrame, buurten: pd.DataFrame, options: Mapping[str, Sequence[str]], rules: Rules
) -> bytes:
    """A digest of everything a release depends on: the frames' columns, types and values. The
    rows of `yearly` count in any order (queries.buurt_year_counts sets none: the release does not
    depend on it); those of `buurten` in theirs (the order of the release's tables)."""
    digest = hashlib.sha256(repr((sorted((k, tuple(v)) for k, v in options.items()), rules)).encode())
    for frame, any_order in ((yearly, True), (buurten, False)):
        digest.update(repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode())
        rows = pd.util.hash_pandas_object(frame, index=False).to_numpy()
        digest.update((np.sort(rows) if any_order else rows).tobytes())
    return digest.digest()


def _made_releases(
    yearly: pd.DataFrame, buurten: pd.DataFrame, options: dict[str, Sequence[str]], rules: Rules
) -> dict[int, Release]:
    kinds = category_kinds(options, rules)
    complete = yearly.groupby("year")["year_months"].max()
    releases = {}
    grid = pd.MultiIndex.from_product(
        [buurten["area_code"].astype(str), sorted(kinds)], names=["area_code", "category_code"]
    ).to_frame(index=False)
    grid["wijk_code"] = grid["area_code"].map(dict(zip(buurten["area_code"], buurten["parent_code"], strict=True)))
    for year in sorted(int(y) for y in complete.index[complete == 12]):
        rows = yearly[yearly["year"] == year].rename(columns={"target_code": "area_code"})
        counts = rows[["area_code", "category_code", "incident_count"]]
        cells = grid.merge(counts, how="left", on=["area_code", "category_code"]).fillna({"incident_count": 0})
        releases[year] = dataclasses.replace(
            make_release(year, cells, options, rules), origin=_origin(rows, grid, kinds)
        )
    return releases


def _origin(rows: pd.DataFrame, grid: pd.DataFrame, kinds: Mapping[str, str]) -> pd.DataFrame:
    """Per buurt and category of a year's rows: real and demo rows and the months with a row."""
    found = rows[["area_code", "category_code", "real_rows", "demo_rows", "months"]]
    origin = grid.merge(found, how="left", on=["area_code", "category_code"]).fillna(0)
    return origin.assign(kind=origin["category_code"].map(kinds))


def _label(count: float, rules: Rules) -> str:
    """The reason of a public total shown on its own: '' (shown) or 'klein'."""
    return SMALL if 0 < count < rules.threshold else SHOWN


def _combined(parts: Sequence[tuple[float, str]]) -> tuple[float, str]:
    """A sum of public figures: shown only when every part is; else 'x' (or the one reason)."""
    total = float(sum(count for count, _ in parts))
    reasons = {reason for _, reason in parts} - {SHOWN}
    if not reasons:
        return total, SHOWN
    if NOT_PUBLIC in reasons:
        return total, NOT_PUBLIC
    if len(parts) == 1:
        return total, next(iter(reasons))
    return total, (SENSITIVE if reasons == {SENSITIVE} else COMPLEMENTARY)


def public_codes(codes: Sequence[str], level: str, rules: Rules) -> tuple[str, ...]:
    """The categories a public total holds at `level`: below gemeente without sensitive ones
    (unless only sensitive ones were chosen)."""
    if level_rank(level) >= level_rank("gemeente"):
        return tuple(codes)
    kept = tuple(c for c in codes if c not in rules.sensitive_categories)
    return kept or tuple(codes)


def public_figure(
    release: Release, level: str, members: Sequence[str], codes: Sequence[str], rules: Rules
) -> tuple[float, str]:
    """(true count, reason) of one public figure: the sum of `codes` over the areas `members` of
    `level` ('buurt', 'wijk' or 'gemeente'; an area group passes its member areas). Reason ''
    means shown; otherwise how it is hidden ('klein': '< 5', else 'x'; `NOT_PUBLIC`: a buurt
    figure other than the public totals)."""
    codes = [c for c in public_codes(codes, level, rules) if c in release.kinds]
    if level == "gemeente":
        return _gemeente_figure(release, codes, rules)
    if level == "buurt":
        return _combined([_buurt_figure(release, code, codes, rules) for code in members])
    return _combined([_wijk_figure(release, code, codes, rules) for code in members])


# Under a public total that left a sensitive category out (`comparable_codes`).
COMPARABLE_TOTALS_NOTE = (
    "Een totaal laat een gevoelige categorie (zedenmisdrijf, huiselijk geweld) die in een van de "
    "getoonde jaren te klein is om te tonen, in alle getoonde jaren weg: zo tellen die jaren hetzelfde."
)


def comparable_codes(codes: Sequence[str], releases: Sequence[Release], rules: Rules) -> list[str]:
    """The categories of a gemeente total that every one of `releases` shows: a total leaves a
    sensitive category out in a year it is hidden (`_gemeente_figure`), so two years' totals count
    the same categories only without it in both. A single category stays as it is."""
    codes = list(codes)
    if len(codes) <= 1:
        return codes
    hidden = {
        code
        for release in releases
        for code in codes
        if code in rules.sensitive_categories and code in release.kinds and _gemeente_reason(release, code) != SHOWN
    }
    return [code for code in codes if code not in hidden]


def _gemeente_reason(release: Release, code: str) -> str:
    """Why a category's gemeente figure is hidden in a release ('' when shown)."""
    cells = _lookups_of(release).gemeente
    if cells is not None:
        return cells[code][1] if code in cells else SHOWN
    reasons = release.gemeente.loc[release.gemeente["category_code"] == code, "reason"].astype(str)
    return next((reason for reason in reasons if reason != SHOWN), SHOWN)


def _gemeente_figure(release: Release, codes: list[str], rules: Rules) -> tuple[float, str]:
    cells = _lookups_of(release).gemeente
    if cells is None:  # a category with more than one row: read the table itself
        return _gemeente_figure_from_table(release, codes, rules)
    if len(codes) > 1:  # a total leaves a hidden sensitive category out
        codes = [c for c in codes if c not in rules.sensitive_categories or cells[c][1] == SHOWN]
    parts = [cells[c] for c in codes]
    count = float(sum(n for n, _ in parts if not math.isnan(n)))  # as pandas sums: without NaN
    if frozenset(codes) - rules.sensitive_categories in release.totals:  # a public line of the gemeente table
        return count, _label(count, rules)
    return _combined(parts)


def _gemeente_figure_from_table(release: Release, codes: list[str], rules: Rules) -> tuple[float, str]:
    table = release.gemeente.set_index("category_code")
    if len(codes) > 1:
        codes = [c for c in codes if c not in rules.sensitive_categories or table.at[c, "reason"] == SHOWN]
    cells = table.loc[codes]
    count = float(cells["incident_count"].sum())
    if frozenset(codes) - rules.sensitive_categories in release.totals:
        return count, _label(count, rules)
    return _combined(list(zip(cells["incident_count"].astype(float), cells["reason"].astype(str), strict=True)))


@dataclass(frozen=True)
class _Lookups:
    """A release's tables as lookups, (count, reason) per cell: a public view asks one figure per
    area and selection, thousands per page, and filtering the tables for each took most of its time."""

    gemeente: dict[str, tuple[float, str]] | None  # per category; None when a category has two rows
    wijk: dict[str, list[tuple[str, float, str]]]  # per wijk: (category, count, reason) in table order
    wijk_totals: dict[tuple[str, str], tuple[float, str]]  # (wijk, kind): its first row
    buurt: dict[tuple[str, str], tuple[float, str]]  # (buurt, option): its first row


# The lookups of each release while it lives (a Release is frozen and its tables are not changed).
_LOOKUPS: dict[int, _Lookups] = {}


def _lookups_of(release: Release) -> _Lookups:
    key = id(release)
    found = _LOOKUPS.get(key)
    if found is None:
        found = _LOOKUPS[key] = _make_lookups(release)
        weakref.finalize(release, _LOOKUPS.pop, key, None)
    return found


def _pairs(frame: pd.DataFrame) -> list[tuple[float, str]]:
    return list(zip(frame["incident_count"].astype(float), frame["reason"].astype(str), strict=True))


def _first_rows(frame: pd.DataFrame, keys: tuple[str, str]) -> dict[tuple[str, str], tuple[float, str]]:
    found: dict[tuple[str, str], tuple[float, str]] = {}
    for key, cell in zip(zip(frame[keys[0]], frame[keys[1]], strict=True), _pairs(frame), strict=True):
        found.setdefault(key, cell)
    return found


def _make_lookups(release: Release) -> _Lookups:
    gemeente = release.gemeente
    unique = gemeente["category_code"].is_unique
    wijk: dict[str, list[tuple[str, float, str]]] = {}
    for code, category, cell in zip(
        release.wijk["wijk_code"], release.wijk["category_code"], _pairs(release.wijk), strict=True
    ):
        wijk.setdefault(code, []).append((category, *cell))
    return _Lookups(
        gemeente=dict(zip(gemeente["category_code"], _pairs(gemeente), strict=True)) if unique else None,
        wijk=wijk,
        wijk_totals=_first_rows(release.wijk_totals, ("wijk_code", "kind")),
        buurt=_first_rows(release.buurt, ("area_code", "option")),
    )


def _total_option(release: Release | Mapping[str, str], codes: Sequence[str]) -> str | None:
    """'misdrijven' or 'overlast' when `codes` are exactly that public total's categories (the
    kinds of a release, or a release itself)."""
    kinds = release.kinds if isinstance(release, Release) else release
    for option in PUBLIC_BUURT_OPTIONS:
        if set(codes) == {c for c, kind in kinds.items() if kind == option}:
            return option
    return None


def public_selection(
    codes: Sequence[str], level: str, options: Mapping[str, Sequence[str]], rules: Rules
) -> tuple[tuple[str, ...], str, str | None]:
    """What a public view shows of a selection at `level`: (categories, level, Dutch note or None).
    Below gemeente a total leaves sensitive categories out; sensitive categories alone move up to
    their minimum level; per buurt only the public totals are shown, anything else per wijk."""
    codes = tuple(codes)
    if level_rank(level) >= level_rank("gemeente"):
        return codes, level, None
    kinds = category_kinds(options, rules)
    kept, notes = public_codes(codes, level, rules), []
    names = dutch_list(rules.sensitive_names) or "gevoelige categorieën"
    if kept != codes:
        notes.append(f"Zonder {names}: die worden openbaar alleen apart per {rules.sensitive_min_level} getoond.")
    elif rules.is_sensitive(codes, level):
        level = rules.sensitive_min_level
        notes.append(f"{names[:1].upper()}{names[1:]} worden openbaar alleen per {level} getoond.")
    if level == "buurt" and _total_option(kinds, [c for c in kept if c in kinds]) is None:
        level = "wijk"
        notes.append(buurt_option_note(rules))
    return kept, level, " ".join(notes) or None


def public_years(
    releases: Mapping[int, Release], level: str, members: Sequence[str], codes: Sequence[str], rules: Rules
) -> pd.DataFrame:
    """One public figure per calendar year with a release: year, incident_count (true), reason."""
    rows = [(year, *public_figure(release, level, members, codes, rules)) for year, release in sorted(releases.items())]
    return pd.DataFrame(rows, columns=["year", "incident_count", "reason"])


def _wijk_figure(release: Release, wijk: str, codes: Sequence[str], rules: Rules) -> tuple[float, str]:
    cells = _lookups_of(release)
    if len(codes) > 1 and (option := _total_option(release, codes)):  # the wijk totals' table
        return cells.wijk_totals.get((wijk, option), (0.0, SHOWN))
    wanted = set(codes)
    return _combined([(count, reason) for code, count, reason in cells.wijk.get(wijk, ()) if code in wanted])


def _buurt_figure(release: Release, buurt: str, codes: Sequence[str], rules: Rules) -> tuple[float, str]:
    option = _total_option(release, codes)
    if option is None:
        return float("nan"), NOT_PUBLIC
    return _lookups_of(release).buurt.get((buurt, option), (0.0, SHOWN))


def buurt_option_note(rules: Rules) -> str:
    """Why a selection is shown per wijk instead of per buurt in a public view."""
    names = " en ".join(f"'{name}'" for name in PUBLIC_BUURT_OPTIONS.values())
    sensitive = dutch_list(rules.sensitive_names) or "gevoelige categorieën"
    return (
        f"Openbaar per buurt alleen {names} (zonder {sensitive}): andere keuzes worden per wijk getoond, "
        "zodat geen klein aantal uit een verschil van twee openbare cijfers volgt."
    )


def buurt_profile_note(rules: Rules) -> str:
    """Why a public profile of a buurt (or a group of buurten) hides its other subjects."""
    names = " en ".join(f"'{name}'" for name in PUBLIC_BUURT_OPTIONS.values())
    sensitive = dutch_list(rules.sensitive_names) or "gevoelige categorieën"
    return (
        f"Openbaar per buurt alleen {names} (zonder {sensitive}); andere onderwerpen zijn hier afgeschermd "
        f"({HIDDEN_MARK}) en staan in het profiel van de wijk."
    )


def group_members(buurt_codes: Sequence[str], buurten: pd.DataFrame) -> tuple[str, tuple[str, ...]]:
    """An area group's public members: ('wijk', wijken) when its buurten make up whole wijken,
    else ('buurt', buurten). buurten: area_code and parent_code of every buurt of the gemeente."""
    chosen = set(buurt_codes)
    parents = dict(zip(buurten["area_code"], buurten["parent_code"], strict=True))
    wijken = {parents[code] for code in chosen if code in parents}
    whole = {code for code, parent in parents.items() if parent in wijken}
    if wijken and whole == chosen:
        return "wijk", tuple(sorted(wijken))
    return "buurt", tuple(sorted(chosen))


def outlined_members(
    outlines: pd.DataFrame, shapes: pd.DataFrame, buurten: pd.DataFrame
) -> tuple[str, tuple[str, ...]]:
    """An area group's public members (`group_members`) from its buurten's outlines (geometry_wkb):
    the buurten of `shapes` (area_code, geometry_wkb) with the same outline."""
    by_shape = {bytes(w): code for code, w in zip(shapes["area_code"], shapes["geometry_wkb"], strict=True)}
    return group_members([by_shape[bytes(w)] for w in outlines["geometry_wkb"] if bytes(w) in by_shape], buurten)


def area_figure(
    release: Release,
    level: str,
    members: Sequence[str],
    codes: Sequence[str],
    options: Mapping[str, Sequence[str]],
    rules: Rules,
) -> tuple[float, str]:
    """One public figure of an area (`members` of `level`, as `group_members` gives an area group's)
    for a selection, as a profile shows it: the selection's public categories (`public_selection`);
    `NOT_PUBLIC` where a public view shows that selection only at another level (a buurt's single
    categories and themes)."""
    kept, shown_level, _ = public_selection(codes, level, options, rules)
    if shown_level != level:
        return float("nan"), NOT_PUBLIC
    return public_figure(release, level, members, kept, rules)
