"""The four roles exist after migrate, hold the right permissions, and ensure_roles repairs them."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command

from common.roles import ADMINISTRATORS, ANALYSTS, CURATORS, EDITORS, ROLES, roles_ensure, user_assign_role, user_roles
from tests import factories

pytestmark = pytest.mark.django_db


def _codes(role):
    return {
        f"{app}.{code}"
        for app, code in Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename")
    }


def test_migrate_created_the_four_groups():
    assert set(Group.objects.filter(name__in=ROLES).values_list("name", flat=True)) == set(ROLES)


def test_curators_edit_and_import_but_do_not_publish():
    codes = _codes(CURATORS)
    for model in ("statement", "claim", "citation", "official", "topic"):
        assert f"claims.add_{model}" in codes
        assert f"claims.change_{model}" in codes
    assert {"sources.add_article", "sources.change_article", "sources.add_outlet"} <= codes
    assert not codes & {"claims.review_statement", "claims.publish_statement", "claims.retract_statement"}
    assert "claims.export_statement" not in codes
    # The review record is written by the workflow only.
    assert "claims.add_statementtransition" not in codes
    assert "claims.change_statementtransition" not in codes
    assert not any(code.startswith("auth.") for code in codes)


def test_editors_review_publish_retract():
    codes = _codes(EDITORS)
    assert {"claims.review_statement", "claims.publish_statement", "claims.retract_statement"} <= codes
    assert _codes(CURATORS) <= codes


def test_analysts_only_read_and_export():
    codes = _codes(ANALYSTS)
    assert "claims.view_statement" in codes and "sources.view_article" in codes
    assert "claims.export_statement" in codes
    assert all(code.split(".")[1].startswith("view_") or code == "claims.export_statement" for code in codes)


def test_administrators_hold_every_permission():
    assert Group.objects.get(name=ADMINISTRATORS).permissions.count() == Permission.objects.count()


def test_ensure_roles_is_idempotent_and_repairs_hand_edits():
    curators = Group.objects.get(name=CURATORS)
    expected = curators.permissions.count()
    curators.permissions.add(Permission.objects.get(codename="publish_statement"))
    Group.objects.filter(name=ANALYSTS).delete()
    out = StringIO()
    call_command("ensure_roles", stdout=out)
    assert "Curators:" in out.getvalue()
    assert curators.permissions.count() == expected
    assert "claims.publish_statement" not in _codes(CURATORS)
    assert Group.objects.filter(name=ANALYSTS).exists()
    first = roles_ensure()
    assert roles_ensure() == first


def test_assigning_a_role_makes_the_user_staff():
    user = factories.UserFactory(username="mina")
    assert not user.is_staff
    user_assign_role(user=user, role=ANALYSTS)
    user.refresh_from_db()
    assert user.is_staff
    assert user_roles(user) == [ANALYSTS]
    assert user.has_perm("claims.export_statement")
    assert not user.has_perm("claims.change_statement")


def test_unknown_role_is_refused():
    with pytest.raises(ValidationError):
        user_assign_role(user=factories.UserFactory(), role="Overlords")


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        ("curator", ["claims.add_statement", "claims.change_statement"], ["claims.publish_statement", "auth.add_user"]),
        ("editor", ["claims.publish_statement", "claims.retract_statement"], ["auth.add_user"]),
        ("analyst", ["claims.view_statement", "claims.export_statement"], ["claims.add_statement"]),
        ("administrator", ["auth.add_user", "claims.publish_statement"], []),
    ],
)
def test_role_users_have_their_permissions(role_users, role, allowed, refused):
    user = role_users[role]
    for permission in allowed:
        assert user.has_perm(permission), permission
    for permission in refused:
        assert not user.has_perm(permission), permission


def test_assign_role_command():
    from django.core.management.base import CommandError

    factories.UserFactory(username="sara")
    out = StringIO()
    call_command("assign_role", "sara", EDITORS, stdout=out)
    assert "sara is now in Editors" in out.getvalue()
    from django.contrib.auth import get_user_model

    sara = get_user_model().objects.get(username="sara")
    assert sara.is_staff and sara.has_perm("claims.publish_statement")
    with pytest.raises(CommandError):
        call_command("assign_role", "nobody", EDITORS, stdout=StringIO())


def test_a_role_given_in_the_user_admin_makes_the_user_staff(client, role_users):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from tests.common.html_forms import admin_form_data

    user = factories.UserFactory(username="neda")
    client.force_login(role_users["administrator"])
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = admin_form_data(client.get(url))
    data["groups"] = [str(Group.objects.get(name=ANALYSTS).pk)]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    neda = get_user_model().objects.get(pk=user.pk)
    assert neda.is_staff
    assert user_roles(neda) == [ANALYSTS]
