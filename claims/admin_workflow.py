"""The statements admin's review workflow: review, publish and retract as bulk actions through
``claims.services``, each step asked for before it is taken; published statements are never deleted."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.choices import ReviewStatus
from claims.rules import LOCKED_STATUSES, is_locked, statement_locked_for
from claims.services import statement_can, statement_publish_problems, statements_transition

# The confirmation page lists this many statements by name; a larger selection is summed up.
PUBLISH_LISTED = 200


class RetractForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for the retraction"), widget=forms.Textarea(attrs={"rows": 3}))


def publish_plan(statements) -> tuple[list, list[tuple[object, list[str]]]]:
    """(the statements a publish would publish, [(statement, reasons it would refuse)])."""
    ready, refused = [], []
    for statement in statements:
        if statement.status != ReviewStatus.REVIEWED:
            refused.append((statement, [_("only a reviewed statement can be published; this one is %(status)s")
                                        % {"status": statement.get_status_display()}]))  # fmt: skip
        elif problems := statement_publish_problems(statement):
            refused.append((statement, problems))
        else:
            ready.append(statement)
    return ready, refused


class StatementWorkflowAdminMixin:
    """For StatementAdmin: workflow actions through claims.services, and published rows kept."""

    workflow_actions = ("review_statements", "publish_statements", "retract_statements")
    retract_template = "admin/claims/statement/retract.html"
    publish_template = "admin/claims/statement/publish.html"

    def get_actions(self, request):
        # Added here rather than through ``actions`` so that StatementAdmin keeps its own list.
        actions = super().get_actions(request)
        if self.actions is None or IS_POPUP_VAR in request.GET:
            return actions
        for name in self.workflow_actions:
            func, name, description = self.get_action(name)
            if all(getattr(self, f"has_{permission}_permission")(request) for permission in func.allowed_permissions):
                actions[name] = (func, name, description)
        return actions

    def has_change_permission(self, request, obj=None):
        # Curators edit drafts; once published, only those who may publish touch the words.
        return not statement_locked_for(obj, request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and is_locked(obj.status)) and super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        if queryset.filter(status__in=LOCKED_STATUSES).exists():
            raise PermissionDenied(_("Published statements are retracted, never deleted."))
        super().delete_queryset(request, queryset)

    def _run_transition(self, request, queryset, action, reason=""):
        if not statement_can(user=request.user, action=action):
            raise PermissionDenied
        done, errors = statements_transition(
            statements=list(queryset.order_by("pk")), actor=request.user, action=action, reason=reason
        )
        if done:
            self.message_user(
                request, _("%(count)d statement(s): %(action)s done.") % {"count": done, "action": action}
            )
        for error in errors:
            self.message_user(request, error, level=messages.ERROR)

    def _step_page(self, request, queryset, template, **context):
        context = {
            **self.admin_site.each_context(request),
            "subtitle": None,
            "opts": self.opts,
            "queryset": queryset,
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            **context,
        }
        return TemplateResponse(request, template, context)

    @admin.action(description=gettext_lazy("Mark selected drafts reviewed"), permissions=["review"])
    def review_statements(self, request, queryset):
        self._run_transition(request, queryset, "review")

    @admin.action(description=gettext_lazy("Publish selected reviewed statements…"), permissions=["publish"])
    def publish_statements(self, request, queryset):
        if "confirm" in request.POST:
            self._run_transition(request, queryset, "publish")
            return None
        statements = list(queryset.select_related("official").order_by("pk")[: PUBLISH_LISTED + 1])
        ready, refused = publish_plan(statements[:PUBLISH_LISTED])
        return self._step_page(
            request, queryset, self.publish_template, title=_("Publish statements"),
            ready=ready, refused=refused, more=len(statements) > PUBLISH_LISTED,
        )  # fmt: skip

    @admin.action(description=gettext_lazy("Retract selected published statements…"), permissions=["retract"])
    def retract_statements(self, request, queryset):
        form = RetractForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._run_transition(request, queryset, "retract", reason=form.cleaned_data["reason"])
            return None
        return self._step_page(request, queryset, self.retract_template, title=_("Retract statements"), form=form)

    def has_review_permission(self, request):
        return request.user.has_perm("claims.review_statement")

    def has_publish_permission(self, request):
        return request.user.has_perm("claims.publish_statement")

    def has_retract_permission(self, request):
        return request.user.has_perm("claims.retract_statement")
