"""The hall's structure as the issue path reads it — its enabled categories, and its windows with
the categories they serve, their states and who is signed in — kept by each process under the
site row's `structure_version`. The database moves that version in the very transaction that
changes any of it, whoever changes it (the triggers of migration 0012), and the issue path reads
it in the site row it locks anyway: a change made by any process counts for the next issue, and
checking the copy costs no statement. (Calls keep reading windows fresh: their priority streak
moves with every call and is not structure.)"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, make_transient_to_detached

from ..adapters.orm import Category, Site, structure_changed
from ..domain.errors import NotFound
from .queue_state import WindowLoad, window_loads
from .unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Structure:
    """One site's structure at one version. Shared by every request of the process: its
    categories are detached copies, to read and never to change or add to a session."""

    version: int
    categories: dict[str, Category]          # enabled, by code
    windows: tuple[WindowLoad, ...]          # enabled, by number; priority_streak always 0
    _serving: dict[int, list[WindowLoad]] = field(default_factory=dict, repr=False)

    def category(self, code: str) -> Category:
        category = self.categories.get(code)
        if category is None:
            raise NotFound(what="category", key=code)
        return category

    def serving(self, category_id: int) -> list[WindowLoad]:
        """The windows serving the category, as A or B (what `window_loads` gives for it)."""
        windows = self._serving.get(category_id)
        if windows is None:
            windows = self._serving[category_id] = [
                w for w in self.windows if category_id in w.a_ids or category_id in w.b_ids]
        return windows


def structure(uow: UnitOfWork, site: Site) -> Structure:
    """The locked site's structure: this process's copy when the site row still carries its
    version, else read now (and kept, unless this transaction itself changed the structure:
    what it reads then may yet roll back, under a version another process may then commit)."""
    if structure_changed(uow.session):
        return _read(uow.session, site)
    kept = uow.db.structures.get(site.id)
    if kept is not None and kept.version == site.structure_version:
        return kept
    kept = uow.db.structures[site.id] = _read(uow.session, site)
    return kept


_CATEGORIES = (select(Category.__table__)
               .where(Category.site_id == bindparam("site_id"), Category.enabled.is_(True))
               .order_by(Category.position))


def _read(session: Session, site: Site) -> Structure:
    categories = {}
    for row in session.execute(_CATEGORIES, {"site_id": site.id}):
        category = Category(**row._mapping)
        make_transient_to_detached(category)  # as if loaded, in no session
        categories[category.code] = category
    # The streak is the calling policy's, and moves without the version: not kept.
    windows = tuple(replace(w, priority_streak=0) for w in window_loads(session, site))
    return Structure(site.structure_version, categories, windows)
