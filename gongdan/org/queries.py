"""Reads of the organisation."""

from __future__ import annotations

from .models import Unit, UnitKind


def suggest_unit(category: str | None, district: str | None) -> Unit | None:
    """The unit that handles ``category`` in ``district``, if exactly one does."""
    if not category:
        return None
    matches = [
        unit
        for unit in Unit.objects.filter(kind=UnitKind.UNIT)
        if unit.covers(category, district or "")
    ]
    return matches[0] if len(matches) == 1 else None
