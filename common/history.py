"""Reading the audit trail: a row's pghistory events as a readable list of field changes.

The events are written by database triggers (``track_history``), so this sees every write
path. Each event holds the whole row after the write (or before, for a delete); a change is the
difference between an event and the previous event of the same row.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.formats import localize
from django.utils.text import capfirst
from django.utils.translation import gettext as _

# Bookkeeping a reader does not need to see in a diff (the version is shown on its own).
HIDDEN_FIELDS = {"updated_at", "search_document", "normalized"}
MAX_EVENTS = 500


@dataclass
class Change:
    name: str
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    event: models.Model
    pgh_id: int
    at: object
    label: str
    version: int | None
    user: str
    action: str
    reason: str
    url: str
    changes: list[Change] = field(default_factory=list)


def event_model_for(model):
    return getattr(model, "pgh_event_model", None)


def display_value(model_field, value) -> str:
    """A field's stored value as a reader wants to see it (choice labels, yes/no, local dates)."""
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(model_field, models.ForeignKey):
        return f"#{value}"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return str(localize(value))


def tracked_fields(model):
    event_model = event_model_for(model)
    return [
        model_field
        for model_field in model._meta.concrete_fields
        if not model_field.primary_key
        and model_field.name not in HIDDEN_FIELDS
        and event_model is not None
        and any(f.attname == model_field.attname for f in event_model._meta.concrete_fields)
    ]


def event_changes(model, before, after) -> list[Change]:
    """The fields that differ between two events of one row (all fields when ``before`` is None)."""
    changes = []
    for model_field in tracked_fields(model):
        if model_field.name == "version":
            continue
        new = getattr(after, model_field.attname)
        old = getattr(before, model_field.attname) if before is not None else None
        if before is not None and old == new:
            continue
        if before is None and new in (None, "", []):
            continue
        changes.append(
            Change(
                name=model_field.name,
                label=str(capfirst(model_field.verbose_name)),
                before=display_value(model_field, old) if before is not None else "",
                after=display_value(model_field, new),
            )
        )
    return changes


def object_history(*, model, pk) -> list[HistoryEntry]:
    """Every recorded write of one row, newest first, each with who, why and what changed."""
    event_model = event_model_for(model)
    if event_model is None:
        return []
    events = list(
        event_model.objects.filter(pgh_obj_id=pk).select_related("pgh_context").order_by("-pgh_id")[:MAX_EVENTS]
    )
    events.reverse()
    contexts = [event.pgh_context.metadata if event.pgh_context_id else {} for event in events]
    user_ids = {metadata.get("user") for metadata in contexts if metadata.get("user") is not None}
    User = get_user_model()
    names = dict(User._base_manager.filter(pk__in=user_ids).values_list("pk", User.USERNAME_FIELD))
    entries = []
    previous = None
    for event, metadata in zip(events, contexts, strict=True):
        user_id = metadata.get("user")
        entries.append(
            HistoryEntry(
                event=event,
                pgh_id=event.pgh_id,
                at=event.pgh_created_at,
                label=event.pgh_label,
                version=getattr(event, "version", None),
                user=names.get(user_id, f"#{user_id}") if user_id is not None else _("(no user: a script or SQL)"),
                action=str(metadata.get("action", "")),
                reason=str(metadata.get("reason", "")),
                url=str(metadata.get("url", "")),
                changes=event_changes(model, previous, event) if event.pgh_label != "delete" else [],
            )
        )
        previous = event
    entries.reverse()
    return entries


def event_get(*, model, pk, pgh_id):
    """One event of one row, or None."""
    event_model = event_model_for(model)
    if event_model is None:
        return None
    return event_model.objects.filter(pgh_obj_id=pk, pgh_id=pgh_id).first()


@dataclass
class DeletedRow:
    pgh_id: int
    pk: object
    at: object
    user: str
    summary: str


MAX_DELETED = 200


def deleted_rows(*, model) -> list[DeletedRow]:
    """The latest rows of a model that were deleted and are not back, newest first."""
    event_model = event_model_for(model)
    if event_model is None:
        return []
    events = list(
        event_model.objects.filter(pgh_label="delete").select_related("pgh_context").order_by("-pgh_id")[:MAX_DELETED]
    )
    present = set(model._base_manager.filter(pk__in=[e.pgh_obj_id for e in events]).values_list("pk", flat=True))
    user_ids = {e.pgh_context.metadata.get("user") for e in events if e.pgh_context_id}
    User = get_user_model()
    names = dict(User._base_manager.filter(pk__in=user_ids - {None}).values_list("pk", User.USERNAME_FIELD))
    text_fields = [f for f in tracked_fields(model) if isinstance(f, (models.CharField, models.TextField))]
    rows, seen = [], set()
    for event in events:
        if event.pgh_obj_id in present or event.pgh_obj_id in seen:
            continue
        seen.add(event.pgh_obj_id)
        user_id = event.pgh_context.metadata.get("user") if event.pgh_context_id else None
        summary = next((str(getattr(event, f.attname)) for f in text_fields if getattr(event, f.attname)), "")
        rows.append(
            DeletedRow(
                pgh_id=event.pgh_id,
                pk=event.pgh_obj_id,
                at=event.pgh_created_at,
                user=names.get(user_id, f"#{user_id}") if user_id is not None else _("(no user: a script or SQL)"),
                summary=summary[:160],
            )
        )
    return rows
