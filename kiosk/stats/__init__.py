"""The coordinators' statistics: counts by period, site, pathway, level, need, reason, age band,
language, mode, completion and duration, with the cells that could single someone out hidden.

- ``periods``: weeks, months, quarters, years, and how they nest;
- ``counting``: one pass over the store, then any table the stored parts can give;
- ``suppression``: hiding cells (primary and secondary) with an exact audit;
- ``protection``: the same cells hidden in every table that shares them (top down);
- ``tables``: tables as published, with shares and the advice to group more coarsely;
- ``labels``, ``formats``: their words, and text, CSV and La Coop-shaped JSON.
"""

from kiosk.stats.counting import Facts, Selection, StatsError, read_facts
from kiosk.stats.suppression import DEFAULT_K, MIN_K
from kiosk.stats.tables import Published, publish, summary

# Labels (kiosk.stats.labels) read the questionnaire and Babel: imported where words are needed,
# so that an export, which needs none, stays small.
__all__ = [
    "DEFAULT_K",
    "MIN_K",
    "Facts",
    "Published",
    "Selection",
    "StatsError",
    "publish",
    "read_facts",
    "summary",
]
