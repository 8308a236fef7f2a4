"""Admin behaviour every Goftar admin inherits through GoftarModelAdmin / GoftarInline:

- ``VersionedAdminMixin`` / ``VersionedInlineMixin``: the hidden version field on every edit form
  and the stale-save check (common.concurrency).
- ``HistoryAdminMixin``: the History page shows the row's database-recorded events with a field
  diff, and "revert to this version" (itself recorded, as a revert, with the user).
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import (
    flatten_fieldsets,
    unquote,
)
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from common.concurrency import VERSION_FIELD, model_is_versioned, versioned_form
from common.history import deleted_rows, event_changes, event_get, event_model_for, object_history


def _without_version(fields):
    return None if fields is None else [name for name in fields if name != VERSION_FIELD]


def _with_version(fieldsets):
    if any(name == VERSION_FIELD for name in flatten_fieldsets(fieldsets)):
        return fieldsets
    fieldsets = list(fieldsets)
    if not fieldsets:
        return [(None, {"fields": [VERSION_FIELD]})]
    name, options = fieldsets[0]
    fieldsets[0] = (name, {**options, "fields": [*options["fields"], VERSION_FIELD]})
    return fieldsets


class VersionedAdminMixin:
    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # Only an edit form needs the version (a read-only view would show an empty row for it).
        if obj is None or not model_is_versioned(self.model) or not self.has_change_permission(request, obj):
            return [(name, {**options, "fields": _without_version(options["fields"])}) for name, options in fieldsets]
        return _with_version(fieldsets)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if "fields" in kwargs:
            kwargs["fields"] = _without_version(kwargs["fields"])
        form = super().get_form(request, obj, change, **kwargs)
        return versioned_form(form) if model_is_versioned(self.model) else form


class VersionedInlineMixin:
    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not model_is_versioned(self.model) or not self.has_change_permission(request, obj):
            return [(name, {**options, "fields": _without_version(options["fields"])}) for name, options in fieldsets]
        return _with_version(fieldsets)

    def get_formset(self, request, obj=None, **kwargs):
        if "fields" in kwargs:
            kwargs["fields"] = _without_version(kwargs["fields"])
        if model_is_versioned(self.model):
            kwargs.setdefault("form", versioned_form(self.form))
        return super().get_formset(request, obj, **kwargs)


class RevertForm(forms.Form):
    goftar_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class HistoryAdminMixin:
    history_template = "admin/history/object_history.html"
    deleted_template = "admin/history/deleted_rows.html"
    revert_template = "admin/history/revert_confirmation.html"

    def get_urls(self):
        if event_model_for(self.model) is None:
            return super().get_urls()
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("deleted/", self.admin_site.admin_view(self.deleted_view), name=f"{info}_deleted"),
            path(
                "deleted/<int:pgh_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{info}_restore",
            ),
            path(
                "<path:object_id>/history/<int:pgh_id>/revert/",
                self.admin_site.admin_view(self.revert_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_revert",
            ),
            *super().get_urls(),
        ]

    def revertable_fields(self, request, obj):
        """The fields a revert may write: those this user could type into the edit form."""
        event_model = event_model_for(self.model)
        form_fields = set(flatten_fieldsets(self.get_fieldsets(request, obj)))
        readonly = set(self.get_readonly_fields(request, obj))
        tracked = {f.attname for f in event_model._meta.concrete_fields} if event_model else set()
        return [
            model_field.name
            for model_field in self.model._meta.concrete_fields
            if model_field.name in form_fields
            and model_field.name not in readonly
            and model_field.editable
            and not model_field.primary_key
            and model_field.attname in tracked
        ]

    def changelist_view(self, request, extra_context=None):
        if event_model_for(self.model) is not None:
            extra_context = {
                **(extra_context or {}),
                "goftar_deleted_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_deleted"),
            }
        return super().changelist_view(request, extra_context)

    def deleted_view(self, request):
        """The rows of this model deleted lately (from their delete events), with Restore."""
        if event_model_for(self.model) is None:
            raise Http404
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(models)s") % {"models": self.opts.verbose_name_plural},
            "subtitle": None,
            "opts": self.opts,
            "entries": deleted_rows(model=self.model),
            "can_restore": self.has_add_permission(request),
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.deleted_template, context)

    def restore_view(self, request, pgh_id):
        from common.services import object_restore

        if event_model_for(self.model) is None:
            raise Http404
        if request.method != "POST":
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_deleted"))
        if not self.has_add_permission(request):
            raise PermissionDenied
        event = event_model_for(self.model).objects.filter(pgh_id=pgh_id, pgh_label="delete").first()
        if event is None:
            raise Http404
        try:
            obj = object_restore(model=self.model, event=event, actor=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), level=messages.ERROR)
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_deleted"))
        self.message_user(request, _("Restored “%(object)s”.") % {"object": obj}, messages.SUCCESS)
        change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        return HttpResponseRedirect(change_url)

    def history_view(self, request, object_id, extra_context=None):
        if event_model_for(self.model) is None:
            # Not tracked by the database (interface preferences): Django's own log.
            return super().history_view(request, object_id, extra_context)
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        entries = object_history(model=self.model, pk=obj.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %s") % obj,
            "subtitle": None,
            "entries": entries,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "object": obj,
            "opts": self.opts,
            "can_revert": self.has_change_permission(request, obj) and bool(self.revertable_fields(request, obj)),
            "current_version": getattr(obj, "version", None),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.history_template, context)

    def revert_view(self, request, object_id, pgh_id):
        from common.services import object_revert

        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        event = event_get(model=self.model, pk=obj.pk, pgh_id=pgh_id)
        if event is None or event.pgh_label == "delete":
            raise Http404
        field_names = self.revertable_fields(request, obj)
        form = RevertForm(request.POST or None, initial={"goftar_version": getattr(obj, "version", None)})
        if request.method == "POST" and form.is_valid():
            try:
                object_revert(
                    obj=obj,
                    event=event,
                    actor=request.user,
                    field_names=field_names,
                    base_version=form.cleaned_data["goftar_version"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                at = formats.localize(timezone.localtime(event.pgh_created_at))
                self.message_user(request, _("Reverted to the version of %(at)s.") % {"at": at}, messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[obj.pk])
                )
        current = type(obj)._base_manager.get(pk=obj.pk)
        # Shown as "now → after the revert": from the current row to the event's values.
        changes = [change for change in event_changes(self.model, current, event) if change.name in field_names]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revert %(object)s to an earlier version") % {"object": obj},
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "event": event,
            "changes": changes,
            "form": form,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.revert_template, context)
