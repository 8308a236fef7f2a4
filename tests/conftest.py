import pytest

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
