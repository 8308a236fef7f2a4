"""Writes shared by every app: reverting a row to a recorded version, ending a user's sessions."""

import pghistory
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from common.concurrency import changes_since, model_is_versioned

MESSAGE_REVERT_STALE = gettext_noop(
    "The record changed since you opened this page ({who} changed {what}); look again before reverting."
)
MESSAGE_REVERT_NOTHING = gettext_noop("This version holds the same values as the current record: nothing to revert.")


@transaction.atomic
def object_revert(*, obj, event, actor, field_names, base_version=None):
    """Put back the values ``field_names`` had in a pghistory ``event`` of ``obj``.

    The write is an ordinary UPDATE, so the triggers record it like any other; its context says
    it was a revert, of which event, by whom. When ``base_version`` is given and the row moved on
    since, nothing is written (no lost edits). Returns the saved object.
    """
    model = type(obj)
    locked = model._base_manager.select_for_update().get(pk=obj.pk)
    versioned = model_is_versioned(model)
    if versioned and base_version is not None and locked.version != base_version:
        users, changed, _when = changes_since(model=model, pk=obj.pk, base_version=base_version)
        raise ValidationError(
            _(MESSAGE_REVERT_STALE).format(who=", ".join(users) or _("another user"), what=", ".join(changed) or "—"),
            code="stale",
        )
    update_fields = []
    for name in field_names:
        model_field = model._meta.get_field(name)
        value = getattr(event, model_field.attname)
        if getattr(locked, model_field.attname) != value:
            setattr(locked, model_field.attname, value)
            update_fields.append(name)
    if not update_fields:
        raise ValidationError(_(MESSAGE_REVERT_NOTHING), code="nothing")
    locked.full_clean()
    if versioned:
        locked.version = F("version") + 1
        update_fields.append("version")
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        update_fields.append("updated_at")
    metadata = {"action": "revert", "reverted_to_event": event.pgh_id}
    if actor is not None:
        metadata["user"] = actor.pk
    with pghistory.context(**metadata):
        locked.save(update_fields=update_fields)
    locked.refresh_from_db()
    return locked


MESSAGE_RESTORE_EXISTS = gettext_noop("This row is already back (#{pk}).")
MESSAGE_RESTORE_REFUSED = gettext_noop("The database refused to restore #{pk}: {error}")


@transaction.atomic
def object_restore(*, model, event, actor):
    """Insert again, with its old primary key, a row whose delete ``event`` holds its last values.

    Rows that pointed to it and went with it (a statement's claims) are restored from their own
    pages, after it. The insert is recorded like any other, its context saying it was a restore.
    """
    pk = event.pgh_obj_id
    if model._base_manager.filter(pk=pk).exists():
        raise ValidationError(_(MESSAGE_RESTORE_EXISTS).format(pk=pk), code="exists")
    values = {
        field.attname: getattr(event, field.attname)
        for field in model._meta.concrete_fields
        if not getattr(field, "generated", False) and hasattr(event, field.attname)
    }
    obj = model(**values)
    metadata = {"action": "restore", "restored_from_event": event.pgh_id}
    if actor is not None:
        metadata["user"] = actor.pk
    try:
        with transaction.atomic(), pghistory.context(**metadata):
            obj.save(force_insert=True)
            # Foreign keys are checked at commit (deferred): check now, so a row whose parent is
            # gone is refused here with a message, not at the end of the request.
            connection.check_constraints(table_names=[model._meta.db_table])
    except IntegrityError as exc:
        raise ValidationError(
            _(MESSAGE_RESTORE_REFUSED).format(pk=pk, error=str(exc).splitlines()[0]), code="refused"
        ) from exc
    return obj


def user_sessions_end(*, user) -> int:
    """Sign a user out everywhere: delete every unexpired session that belongs to them.

    Sessions are stored signed, not indexed by user, so each live one is decoded: fine for a
    newsroom's staff, and it needs no change to how sessions are stored. Returns the count.
    """
    user_key = str(user.pk)
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500):
        if session.get_decoded().get("_auth_user_id") == user_key:
            session.delete()
            ended += 1
    return ended
