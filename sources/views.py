"""Curators' pages of the sources app: the admin's "Import article" page.

Thin: parse the form → ``sources.services.article_import`` (a dry run for the preview, the real
import on confirmation) → render the report. Every refusal is a form error, never an error page.
"""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from sources.importers.base import MAX_IMPORT_LABEL, PREVIEW_MAX_LABEL, PREVIEW_SECONDS, ImportRejected
from sources.importers.forms import ArticleImportConfirmForm, ArticleImportForm
from sources.services import article_import

IMPORT_PERMISSION = "sources.add_article"
TEMPLATE = "sources/article_import.html"


def _article_admin_url(article_id):
    if not article_id:
        return ""
    try:
        return reverse("admin:sources_article_change", args=[article_id])
    except NoReverseMatch:  # the admin may not register articles in every configuration
        return ""


def _context(request, **extra):
    return {
        **admin.site.each_context(request),
        "title": _("Import article"),
        # The page takes what it can preview and import within one request; the command takes more.
        "limit": PREVIEW_MAX_LABEL,
        "command_limit": MAX_IMPORT_LABEL,
        **extra,
    }


@staff_member_required
@require_http_methods(["GET", "POST"])
def article_import_view(request):
    """Paste or upload a page, preview what the import would create, then confirm it."""
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = ArticleImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outlet = data.get("outlet")
        try:
            report = article_import(
                content=data["content"],
                source_name=str(data["source_name"]),
                url=data.get("url") or "",
                outlet_name=outlet.name if outlet else "",
                dry_run=True,
                actor=request.user,
            time_limit=PREVIEW_SECONDS,
            )
        except ImportRejected as exc:
            form.add_error(None, exc)
        else:
            confirm = ArticleImportConfirmForm(
                initial={
                    "payload": ArticleImportConfirmForm.encode(data["content"]),
                    "source_name": str(data["source_name"]),
                    "url": data.get("url") or "",
                    "outlet": outlet.pk if outlet else None,
                }
            )
            # A fresh form below the preview: the page travels in the confirmation, not back in the textarea.
            return render(
                request, TEMPLATE, _context(request, form=ArticleImportForm(), report=report, confirm_form=confirm)
            )
    return render(request, TEMPLATE, _context(request, form=form))


def _confirm(request):
    confirm = ArticleImportConfirmForm(request.POST)
    form = ArticleImportForm()
    if not confirm.is_valid():
        errors = [message for messages in confirm.errors.values() for message in messages]
        return render(request, TEMPLATE, _context(request, form=form, errors=errors), status=400)
    data = confirm.cleaned_data
    outlet = data.get("outlet")
    try:
        report = article_import(
            content=data["payload"],
            source_name=data.get("source_name") or "",
            url=data.get("url") or "",
            outlet_name=outlet.name if outlet else "",
            dry_run=False,
            actor=request.user,
            time_limit=PREVIEW_SECONDS,
        )
    except ImportRejected as exc:
        return render(request, TEMPLATE, _context(request, form=form, errors=exc.messages))
    return render(
        request,
        TEMPLATE,
        _context(
            request,
            form=ArticleImportForm(),
            report=report,
            done=True,
            article_url=_article_admin_url(report.article_id),
        ),
    )
