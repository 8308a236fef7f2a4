"""The four roles of Goftar as Django groups, and the permissions each one holds.

Roles are data, not hand-made admin clicks: ``roles_ensure()`` creates or repairs the groups so
that they hold exactly the permissions listed here. A data migration calls it on every database
and ``manage.py ensure_roles`` re-runs it (after new models, or if someone edited a group by hand).

- Curators create and edit drafts and import: add/change/view on the domain models, delete on
  the ones that are not evidence of publication (the database refuses to delete a published
  statement anyway). They cannot review, publish or retract.
- Editors hold everything curators hold, plus review, publish and retract.
- Analysts read everything, drafts included, and export.
- Administrators hold every permission, user management included.

Every member of a role is staff (``user_assign_role``), which lets them reach the admin, where
analysts only read. Drafts in the analysts' pages follow a permission, not staff status
(``claims.rules.may_see_unpublished``): anonymous visitors, and signed-in users without a role,
see published material only.
"""

from django.db import transaction

CURATORS = "Curators"
EDITORS = "Editors"
ANALYSTS = "Analysts"
ADMINISTRATORS = "Administrators"
ROLES = (CURATORS, EDITORS, ANALYSTS, ADMINISTRATORS)

DOMAIN_APPS = ("sources", "claims")

# Models whose rows are written by the workflow or by triggers only: nobody adds or edits them by hand.
READ_ONLY_MODELS = {("claims", "statementtransition")}

WORKFLOW_PERMISSIONS = ("review_statement", "publish_statement", "retract_statement")
EXPORT_PERMISSION = "export_statement"

MESSAGE_UNKNOWN_ROLE = "Unknown role {role!r}: choose one of {roles}."


def _is_event_model(model) -> bool:
    # pghistory's event tables are the audit trail: readable by every role, writable by no one.
    return any(field.name == "pgh_id" for field in model._meta.fields)


def role_permissions(*, apps=None) -> dict[str, set[tuple[str, str]]]:
    """For each role, the (app_label, codename) pairs it must hold."""
    from django.apps import apps as global_apps

    registry = apps or global_apps
    wanted: dict[str, set[tuple[str, str]]] = {role: set() for role in ROLES}
    for app_label in DOMAIN_APPS:
        for model in registry.get_app_config(app_label).get_models():
            name = model._meta.model_name
            view = (app_label, f"view_{name}")
            for role in (CURATORS, EDITORS, ANALYSTS):
                wanted[role].add(view)
            if (app_label, name) in READ_ONLY_MODELS or _is_event_model(model):
                continue
            for action in ("add", "change", "delete"):
                wanted[CURATORS].add((app_label, f"{action}_{name}"))
                wanted[EDITORS].add((app_label, f"{action}_{name}"))
    for codename in WORKFLOW_PERMISSIONS:
        wanted[EDITORS].add(("claims", codename))
    for role in (EDITORS, ANALYSTS):
        wanted[role].add(("claims", EXPORT_PERMISSION))
    # Reading the audit trail across models (pghistory's aggregate admin).
    for role in (CURATORS, EDITORS, ANALYSTS):
        wanted[role].add(("pghistory", "view_events"))
    return wanted


def roles_ensure(*, apps=None, using: str = "default") -> dict[str, int]:
    """Create the four groups and set each one's permissions to exactly the listed ones.

    Idempotent. ``apps`` is the historical registry when called from a migration. Returns the
    number of permissions each group holds.
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    registry = apps or global_apps
    # In a fresh database the permissions are only created after all migrations ran
    # (post_migrate); create them now so the groups can hold them.
    for app_config in global_apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using, apps=registry)
        create_permissions(app_config, verbosity=0, using=using, apps=registry)

    Group = registry.get_model("auth", "Group")
    Permission = registry.get_model("auth", "Permission")
    wanted = role_permissions(apps=registry)
    all_permissions = Permission.objects.using(using).select_related("content_type")
    by_key = {(p.content_type.app_label, p.codename): p.pk for p in all_permissions}
    counts = {}
    with transaction.atomic(using=using):
        for role in ROLES:
            group, _ = Group.objects.using(using).get_or_create(name=role)
            if role == ADMINISTRATORS:
                ids = set(by_key.values())
            else:
                ids = {by_key[key] for key in wanted[role] if key in by_key}
            group.permissions.set(ids)
            counts[role] = len(ids)
    return counts


def user_assign_role(*, user, role: str):
    """Put a user in a role (and make them staff, which every role needs). Returns the user."""
    from django.contrib.auth.models import Group
    from django.core.exceptions import ValidationError

    if role not in ROLES:
        raise ValidationError(MESSAGE_UNKNOWN_ROLE.format(role=role, roles=", ".join(ROLES)))
    with transaction.atomic():
        group = Group.objects.get(name=role)
        user.groups.add(group)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return user


def user_sync_staff(*, user):
    """Make a user who holds a role staff (every role needs it: drafts and the admin). Returns the user."""
    if not user.is_staff and user.groups.filter(name__in=ROLES).exists():
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


def user_roles(user) -> list[str]:
    """The role names a user holds (empty for anonymous visitors)."""
    if not user.is_authenticated:
        return []
    return sorted(name for name in user.groups.values_list("name", flat=True) if name in ROLES)
