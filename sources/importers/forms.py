"""The admin's "Import article" form: pasted text or an uploaded file, then a confirmation.

The confirmation carries the exact bytes that were previewed (base64 in a hidden field), so the
import that is confirmed is the import that was previewed, encoding included.
"""

import base64
import binascii

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sources.importers.base import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_LABEL,
    MESSAGE_TOO_LARGE,
    MESSAGE_TOO_LARGE_FOR_PREVIEW,
    PREVIEW_MAX_BYTES,
    PREVIEW_MAX_LABEL,
)
from sources.importers.decoding import human_size
from sources.models import Outlet

MESSAGE_ONE_SOURCE = _("Paste the page's text or choose a file (one of the two).")
MESSAGE_BAD_PAYLOAD = _("The confirmation was damaged in transit; preview the page again.")


def _file_help() -> str:
    # Translated when shown, not when the module is imported.
    return gettext("A .txt or .html file, UTF-8 or Windows-1256, at most %(limit)s.") % {"limit": PREVIEW_MAX_LABEL}


def check_size(size: int) -> None:
    """Refuse a page this page cannot preview and import within one request (see PREVIEW_MAX_BYTES).

    Past the importer's own limit the message is the importer's; between the two limits it points
    to ``manage.py import_article``, which takes the page.
    """
    if size > MAX_IMPORT_BYTES:
        raise ValidationError(
            MESSAGE_TOO_LARGE, code="too_large", params={"size": human_size(size), "limit": MAX_IMPORT_LABEL}
        )
    if size > PREVIEW_MAX_BYTES:
        raise ValidationError(
            MESSAGE_TOO_LARGE_FOR_PREVIEW,
            code="too_large_for_preview",
            params={"size": human_size(size), "limit": PREVIEW_MAX_LABEL, "command_limit": MAX_IMPORT_LABEL},
        )


class ArticleImportForm(forms.Form):
    """Step one: what to import. ``clean()`` leaves the page's bytes in ``cleaned_data["content"]``."""

    text = forms.CharField(
        label=_("Page text or HTML"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100, "dir": "auto"}),
        help_text=_("Paste the page as copied from the browser, or its HTML source."),
    )
    file = forms.FileField(
        label=_("…or a saved page"),
        required=False,
        help_text=lazy(_file_help, str)(),
    )
    url = forms.URLField(label=_("Page URL"), required=False, max_length=2000, assume_scheme="https")
    outlet = forms.ModelChoiceField(
        label=_("Outlet"),
        queryset=Outlet.objects.order_by("name"),
        required=False,
        help_text=_("Leave empty to recognise it from the URL."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_size(upload.size)
        return upload

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("text") or ""
        upload = cleaned.get("file")
        if self.errors:
            return cleaned
        # Only spaces pasted and no file: the importer says the page is empty.
        if (upload and text.strip()) or (not upload and not text):
            raise ValidationError(MESSAGE_ONE_SOURCE, code="one_source")
        if upload:
            cleaned["content"] = upload.read(MAX_IMPORT_BYTES + 1)
            cleaned["source_name"] = upload.name
        else:
            cleaned["content"] = text.encode("utf-8")
            cleaned["source_name"] = _("pasted text")
        check_size(len(cleaned["content"]))
        return cleaned


class ArticleImportConfirmForm(forms.Form):
    """Step two: the previewed bytes and choices, sent back unchanged."""

    payload = forms.CharField(widget=forms.HiddenInput, strip=False)
    source_name = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)
    url = forms.URLField(widget=forms.HiddenInput, required=False, max_length=2000, assume_scheme="https")
    outlet = forms.ModelChoiceField(widget=forms.HiddenInput, queryset=Outlet.objects.all(), required=False)

    @staticmethod
    def encode(content: bytes) -> str:
        return base64.b64encode(content).decode("ascii")

    def clean_payload(self):
        try:
            content = base64.b64decode(self.cleaned_data["payload"], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError(MESSAGE_BAD_PAYLOAD, code="bad_payload") from exc
        check_size(len(content))
        return content
