import pytest
from django.conf import settings
from django.utils import translation

from tests import factories


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def outlet(db):
    return factories.OutletFactory()


@pytest.fixture
def article(db):
    return factories.ArticleFactory()


@pytest.fixture
def official(db):
    return factories.OfficialFactory()


@pytest.fixture
def topic(db):
    return factories.TopicFactory()


@pytest.fixture
def statement(db):
    return factories.StatementFactory()


@pytest.fixture
def claim(db):
    return factories.ClaimFactory()


@pytest.fixture
def role_users(db):
    """One user in each role, by role name: anonymous is absent (use an anonymous client)."""
    from common.roles import ADMINISTRATORS, ANALYSTS, CURATORS, EDITORS, user_assign_role

    users = {}
    for key, role in (
        ("curator", CURATORS),
        ("editor", EDITORS),
        ("analyst", ANALYSTS),
        ("administrator", ADMINISTRATORS),
    ):
        users[key] = user_assign_role(user=factories.UserFactory(username=key), role=role)
    return users


@pytest.fixture
def planner_uses_indexes_as_on_a_big_table(db):
    """A test table is so small that the planner reads it whole for any search, and a search it
    reads whole is walked along the date index (claims.selectors.search_is_rare), rightly. For
    this test's transaction it is told not to: it then finds the words through the GIN index, as
    it does for a rare word among a million statements, and a few matches are sorted."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request in Persian leaves Persian active in the thread: the next test starts in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
