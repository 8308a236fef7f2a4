"""No lost edits: every edit form carries the version of the row it was based on.

A form built with ``versioned_form()`` has a hidden ``goftar_version`` field holding
``BaseModel.version`` as it was when the form was rendered. On save, ``clean()`` locks the row
(``SELECT ... FOR UPDATE`` inside the request's transaction: the admin's change view runs in one)
and compares: when someone saved in between, the form gets an error naming who changed which
fields (read from the row's pghistory events) and the curator's input stays in the form. The
hidden field then holds the current version, so saving again deliberately applies their input
over the colleague's. When the versions match, the instance leaves with ``version + 1``, written
by the same UPDATE as the edit while the lock is held: check and write cannot interleave with
another save, which is what ``UPDATE ... WHERE version = old`` would give, in one history event
instead of two.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db import connections, router
from django.utils import timezone
from django.utils.formats import localize
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

VERSION_FIELD = "goftar_version"

# Fields every save touches: naming them in a conflict message says nothing.
_BOOKKEEPING_FIELDS = {"version", "updated_at", "created_at", "search_document", "normalized"}

MESSAGE_STALE = gettext_noop(
    "Someone saved this {model} after you opened it: {who} changed {what}. Your input is kept below "
    "and nothing was saved. Compare it with the current record (open it in another tab), then save "
    "again to apply your input over theirs."
)
MESSAGE_DELETED = gettext_noop("This {model} was deleted after you opened it; your input was not saved.")


class VersionField(forms.IntegerField):
    """The version a form was based on. Never counts as a change by itself."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("label", "")
        super().__init__(**kwargs)

    def has_changed(self, initial, data):
        return False


def model_is_versioned(model) -> bool:
    return any(field.name == "version" for field in model._meta.concrete_fields)


class VersionedFormMixin:
    """Mixed into a ModelForm by ``versioned_form()``; see the module docstring."""

    version_conflict = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get(VERSION_FIELD)
        if field is not None and self.instance.pk is not None:
            field.initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None and VERSION_FIELD in self.fields and self.has_changed():
            self._check_version(cleaned_data.get(VERSION_FIELD))
        return cleaned_data

    def _check_version(self, base_version):
        model = type(self.instance)
        using = router.db_for_write(model)
        rows = model._base_manager.using(using).filter(pk=self.instance.pk)
        if connections[using].in_atomic_block:
            rows = rows.select_for_update()
        current = rows.values_list("version", flat=True).first()
        name = model._meta.verbose_name
        if current is None:
            self.version_conflict = True
            raise forms.ValidationError(_(MESSAGE_DELETED).format(model=name), code="deleted")
        if base_version is None:
            # A post without the field (an old page or a hand-made request) cannot prove it saw
            # the latest version: treat it as based on nothing newer than the original insert.
            base_version = 0
        if base_version != current:
            self.version_conflict = True
            self.data = self.data.copy()
            self.data[self.add_prefix(VERSION_FIELD)] = str(current)
            raise forms.ValidationError(
                stale_message(model=model, pk=self.instance.pk, base_version=base_version), code="stale"
            )
        self.instance.version = current + 1


def versioned_form(form_class):
    """The ModelForm class with the hidden version field and the stale-save check."""
    if issubclass(form_class, VersionedFormMixin):
        return form_class
    return type(form_class)(
        form_class.__name__,
        (VersionedFormMixin, form_class),
        {VERSION_FIELD: VersionField(), "__module__": form_class.__module__},
    )


def changes_since(*, model, pk, base_version) -> tuple[list[str], list[str], object]:
    """(usernames, changed field labels, time of the last change) of the saves made to a row
    after ``base_version``, from its pghistory events."""
    users, changed, when = _changes(model=model, pk=pk, base_version=base_version)
    return users, [label for label, _value in changed], when


def _changes(*, model, pk, base_version):
    from common.history import display_value

    event_model = getattr(model, "pgh_event_model", None)
    if event_model is None:
        return [], [], None
    events = list(
        event_model.objects.filter(pgh_obj_id=pk, version__gte=base_version)
        .select_related("pgh_context")
        .order_by("pgh_id")
    )
    baseline = [event for event in events if event.version == base_version]
    later = [event for event in events if event.version > base_version]
    if not later:
        return [], [], None
    user_ids = []
    for event in later:
        metadata = event.pgh_context.metadata if event.pgh_context_id else {}
        user_id = metadata.get("user")
        if user_id is not None and user_id not in user_ids:
            user_ids.append(user_id)
    names = dict(
        get_user_model()._base_manager.filter(pk__in=user_ids).values_list("pk", get_user_model().USERNAME_FIELD)
    )
    users = [names.get(user_id, f"#{user_id}") for user_id in user_ids]
    before = baseline[-1] if baseline else None
    after = later[-1]
    changed = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in _BOOKKEEPING_FIELDS:
            continue
        if not hasattr(after, field.attname):
            continue
        if before is None or getattr(before, field.attname) != getattr(after, field.attname):
            changed.append((str(capfirst(field.verbose_name)), display_value(field, getattr(after, field.attname))))
    return users, changed, after.pgh_created_at


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def stale_message(*, model, pk, base_version) -> str:
    users, changed, when = _changes(model=model, pk=pk, base_version=base_version)
    who = ", ".join(users) if users else _("another user")
    if when is not None:
        who = _("%(who)s (at %(when)s)") % {"who": who, "when": localize(timezone.localtime(when))}
    if changed:
        what = ngettext("the field %(fields)s", "the fields %(fields)s", len(changed)) % {
            "fields": "; ".join(f"“{label}” → “{_shorten(value)}”" for label, value in changed)
        }
    else:
        what = _("the record")
    return _(MESSAGE_STALE).format(model=model._meta.verbose_name, who=who, what=what)
