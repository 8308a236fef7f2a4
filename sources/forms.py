"""Admin forms for outlets and articles: checks the database would otherwise answer with an error page."""

import datetime
import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.dateparse import parse_datetime as parse_iso_datetime
from django.utils.translation import gettext_lazy as _

from common.dates import TEHRAN, parse_datetime, solar_hijri
from common.forms import SolarHijriReadingMixin
from common.text import fold
from sources.models import Article, OutletAlias

MESSAGE_DUPLICATE_ALIAS = _("“%(name)s” is already an alias here (perhaps spelled in another script: “%(other)s”).")
MESSAGE_ALIAS_SWAP = _(
    "“%(name)s” is still stored as another alias of this record; rename or delete that one, save, "
    "then give this one its spelling."
)
MESSAGE_DUPLICATE_BODY = _("This text is already stored as the article “%(title)s” (id %(pk)s).")
MESSAGE_CITED_BODY = _(
    "Statements cite this text at stored offsets (%(count)s citations), so it is kept as captured. "
    "To record a corrected page, add it as a new article."
)
MESSAGE_UNREADABLE_DATETIME = _(
    "“%(value)s” is not a date and time. Use e.g. 2024-05-12 09:44 or ۰۹:۴۴ - ۲۳-۰۲-۱۴۰۳ (Tehran time)."
)


def body_sha256(body: str) -> str:
    """The fingerprint that recognises the same text captured twice (Article.body_sha256)."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


# --- aliases: unique per owner after folding -------------------------------------------------------
# The database enforces (owner, normalized) with a UniqueConstraint, but ``normalized`` is a generated
# column that no form field carries, so Django's own validation skips the constraint and a duplicate
# would reach the database as an IntegrityError. These checks fold the names the same way first.


def folded_alias_conflict(*, model, owner_field: str, owner, name: str, exclude_pks=()):
    """An existing alias of ``owner`` that folds like ``name`` (other than ``exclude_pks``), or None."""
    if owner is None or owner.pk is None or not name:
        return None
    return (
        model.objects.filter(**{owner_field: owner}, normalized=fold(name))
        .exclude(pk__in=[pk for pk in exclude_pks if pk is not None])
        .only("pk", "name")
        .first()
    )


class FoldedAliasForm(forms.ModelForm):
    """An alias edited on its own page: refuse a name its owner already has in any spelling."""

    owner_field: str = ""

    def clean(self):
        cleaned_data = super().clean()
        name = cleaned_data.get("name")
        owner = cleaned_data.get(self.owner_field)
        conflict = folded_alias_conflict(
            model=self._meta.model, owner_field=self.owner_field, owner=owner, name=name, exclude_pks=[self.instance.pk]
        )
        if conflict is not None:
            self.add_error("name", ValidationError(MESSAGE_DUPLICATE_ALIAS, code="duplicate_alias",
                                                   params={"name": name, "other": conflict.name}))
        return cleaned_data


class FoldedAliasFormSet(BaseInlineFormSet):
    """Aliases edited inline on their owner: no two (in the submission or already stored) may fold alike."""

    def clean(self):
        super().clean()
        seen: dict[str, str] = {}
        kept_forms, formset_pks = [], []
        for form in self.forms:
            if form.instance.pk is not None:
                formset_pks.append(form.instance.pk)
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or self._should_delete_form(form):
                continue
            name = form.cleaned_data.get("name")
            if not name:
                continue
            key = fold(name)
            if key in seen:
                form.add_error("name", ValidationError(MESSAGE_DUPLICATE_ALIAS, code="duplicate_alias",
                                                       params={"name": name, "other": seen[key]}))
            else:
                seen[key] = name
                kept_forms.append((form, name))
        # Rows are updated one by one: a row taking another row's stored spelling (a swap, or a
        # spelling freed by a deletion in the same submission) would meet it in the database first.
        stored = {
            form.instance.pk: fold(form.initial.get("name", ""))
            for form in self.forms
            if form.instance.pk is not None and form.initial.get("name")
        }
        for form, name in kept_forms:
            if form.instance.pk is None or "name" not in form.changed_data:
                continue
            if any(fold(name) == spelling and pk != form.instance.pk for pk, spelling in stored.items()):
                form.add_error("name", ValidationError(MESSAGE_ALIAS_SWAP, code="alias_swap", params={"name": name}))
        # Rows of this owner that the formset does not show (none today, but the formset may be
        # limited later) must not be duplicated either.
        for form, name in kept_forms:
            conflict = folded_alias_conflict(
                model=self.model, owner_field=self.fk.name, owner=self.instance, name=name, exclude_pks=formset_pks
            )
            if conflict is not None:
                form.add_error("name", ValidationError(MESSAGE_DUPLICATE_ALIAS, code="duplicate_alias",
                                                       params={"name": name, "other": conflict.name}))


class OutletAliasForm(FoldedAliasForm):
    owner_field = "outlet"

    class Meta:
        model = OutletAlias
        fields = ["outlet", "name"]


# --- articles ----------------------------------------------------------------------------------------


class SolarHijriDateTimeInput(SolarHijriReadingMixin, forms.DateTimeInput):
    """A text input for a moment, with its Tehran-time Solar Hijri reading beside it."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "2024-05-12 09:44 / ۰۹:۴۴ - ۲۳-۰۲-۱۴۰۳", "size": 24, "dir": "ltr", **(attrs or {})},
            format="%Y-%m-%d %H:%M",
        )

    def format_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value, TEHRAN)
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        reading = ""
        if isinstance(value, datetime.datetime):
            local = timezone.localtime(value, TEHRAN) if timezone.is_aware(value) else value
            reading = f"{solar_hijri(local.date())}، {local:%H:%M}"
        context["widget"]["solar_hijri"] = reading
        return context


class SolarHijriDateTimeField(forms.Field):
    """A moment typed as ISO (2024-05-12 09:44) or as Persian pages print it (۰۹:۴۴ - ۲۳-۰۲-۱۴۰۳).

    Times without a zone are Tehran time, which is what Persian outlets print.
    """

    widget = SolarHijriDateTimeInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value
        text = str(value).strip()
        try:
            iso = parse_iso_datetime(text)
        except ValueError:
            iso = None
        if iso is not None:
            return iso if timezone.is_aware(iso) else iso.replace(tzinfo=TEHRAN)
        try:
            moment, _parsed = parse_datetime(text)
        except ValidationError as error:
            if error.code == "impossible_date":
                raise ValidationError(error.messages, code="invalid") from error
            raise ValidationError(MESSAGE_UNREADABLE_DATETIME, code="invalid", params={"value": text}) from error
        return moment


class ArticleForm(forms.ModelForm):
    """The article page: fingerprints the body and refuses a text that is already stored."""

    published_at = SolarHijriDateTimeField(label=_("published at"), required=False)

    class Meta:
        model = Article
        fields = [
            "url", "outlet", "upstream_outlet", "upstream_name_as_printed", "title", "lead", "body", "language",
            "news_code", "published_at", "published_as_printed", "published_calendar", "captured_at",
        ]

    def clean(self):
        cleaned_data = super().clean()
        body = cleaned_data.get("body")
        if body and self.instance.pk is not None and "body" in self.changed_data:
            cited = self.instance.citations.count()
            if cited:
                self.add_error("body", ValidationError(MESSAGE_CITED_BODY, code="cited_body", params={"count": cited}))
                return cleaned_data
        if body:
            fingerprint = body_sha256(body)
            duplicate = (
                Article.objects.filter(body_sha256=fingerprint).exclude(pk=self.instance.pk).only("pk", "title").first()
            )
            if duplicate is not None:
                self.add_error("body", ValidationError(MESSAGE_DUPLICATE_BODY, code="duplicate_body",
                                                       params={"title": duplicate.title, "pk": duplicate.pk}))
            self.instance.body_sha256 = fingerprint
        return cleaned_data
