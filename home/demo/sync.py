"""Create-or-update helpers that make the demo loader idempotent.

Every object is found by a natural key (a page's slug under its parent, a person's name, a
document's title). A page is only revised and republished when what the demo wants differs from
what is live, so running the loader again adds no pages, rows or revisions.
"""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Summary:
    """What a run of the loader created and updated, counted by kind of thing."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    notes: list = field(default_factory=list)

    def record(self, kind, created=False, updated=False):
        if created:
            self.created[kind] += 1
        elif updated:
            self.updated[kind] += 1
        else:
            self.unchanged[kind] += 1

    def lines(self):
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        for kind in kinds:
            yield (
                f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, "
                f"{self.unchanged[kind]} unchanged"
            )
        yield from self.notes


def update_fields(obj, values):
    """Set `values` on `obj`; True if anything changed (the caller saves)."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def upsert(model, lookup, values, summary, kind):
    """get_or_create by `lookup`, then bring the other fields up to date; saves only on change."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        summary.record(kind, created=True)
        return obj
    changed = update_fields(obj, values)
    if changed:
        obj.save()
    summary.record(kind, updated=changed)
    return obj


def sync_page(parent, model, slug, fields, summary, kind, state=None, apply=None):
    """Make `parent` have a live child page `slug` with `fields` and the relations `apply` sets.

    `state(page)` returns a comparable picture of the page's relations (rows as tuples) and
    `apply(page)` sets them, in memory, to what the demo wants; the page is revised and published
    only when fields or that picture differ. Returns (page, changed).
    """
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, live=False, **fields)
        if apply:
            apply(page)
        parent.add_child(instance=page)
        page.save_revision().publish()
        summary.record(kind, created=True)
        # Publishing saves a copy made from the revision; read back what is now live.
        return model.objects.get(pk=page.pk), True

    before = state(page) if state else None
    changed = update_fields(page, fields)
    if apply:
        apply(page)
        changed = changed or state(page) != before
    if changed or not page.live:
        page.save_revision().publish()
        page = model.objects.get(pk=page.pk)
    summary.record(kind, updated=changed)
    return page, changed


def rows(objects, names):
    """A list of tuples of the `names` attributes of each object, for comparing relations."""
    return [tuple(getattr(obj, name) for name in names) for obj in objects]
