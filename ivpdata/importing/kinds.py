"""Every import kind, by code. To add a format, write its check and apply in a module of this
package and list it here; the CLI, the Data page and detection pick it up."""

from __future__ import annotations

from ivpdata.importing import boundaries, events, police, population, templates
from ivpdata.importing.base import Kind

KINDS: dict[str, Kind] = {
    **police.KINDS,
    **templates.KINDS,
    **population.KINDS,
    **boundaries.KINDS,
    **events.KINDS,
}
