import hashlib

import factory
from django.contrib.auth import get_user_model

from claims.choices import ClaimKind, ReviewStatus, VenueKind
from claims.models import (
    Citation,
    Claim,
    ClaimRelation,
    Official,
    OfficialAlias,
    Organization,
    Position,
    Statement,
    Topic,
)
from sources.choices import Language
from sources.models import Article, Outlet, OutletAlias


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Outlet {n}")
    domain = factory.Sequence(lambda n: f"outlet{n}.example")
    country = "IR"
    language = Language.PERSIAN


class OutletAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutletAlias

    outlet = factory.SubFactory(OutletFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    outlet = factory.SubFactory(OutletFactory)
    url = factory.Sequence(lambda n: f"https://news.example/{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    body = factory.Sequence(lambda n: f"گفت‌وگوهای غیرمستقیم بین ایران و آمریکا ادامه دارد. شماره {n}.")
    language = Language.PERSIAN
    body_sha256 = factory.LazyAttribute(lambda article: hashlib.sha256(article.body.encode()).hexdigest())


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Council {n}")
    country = "IR"


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    display_name = factory.Sequence(lambda n: f"Official {n}")
    country = "IR"


class OfficialAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficialAlias

    official = factory.SubFactory(OfficialFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    official = factory.SubFactory(OfficialFactory)
    organization = factory.SubFactory(OrganizationFactory)
    title = "Head"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    official = factory.SubFactory(OfficialFactory)
    text = "گفتوگوهای غیرمستقیم بین ایران و آمریکا موضوع جدیدی نیست."
    language = Language.PERSIAN
    said_on = factory.Faker("date_between", start_date="-10y", end_date="today")
    venue_kind = VenueKind.INTERVIEW
    status = ReviewStatus.PUBLISHED


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    statement = factory.SubFactory(StatementFactory)
    article = factory.SubFactory(ArticleFactory)
    start_offset = 0
    end_offset = factory.LazyAttribute(lambda citation: len(citation.article.body))
    quote = factory.LazyAttribute(lambda citation: citation.article.body[citation.start_offset : citation.end_offset])
    verified = True


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    statement = factory.SubFactory(StatementFactory)
    text = factory.Sequence(lambda n: f"Claim number {n}")
    kind = ClaimKind.ASSERTION


class ClaimRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimRelation

    from_claim = factory.SubFactory(ClaimFactory)
    to_claim = factory.SubFactory(ClaimFactory)
    kind = "qualifies"


def analyst_user(**fields):
    """A user in the Analysts role: reads drafts by permission (claims.rules.may_see_unpublished)."""
    from common.roles import ANALYSTS, user_assign_role

    return user_assign_role(user=UserFactory(**fields), role=ANALYSTS)


def publishable_statement(**fields):
    """A statement with what publishing needs (claims.services.statement_publish_problems): its
    official, a topic and a verified citation. A draft unless ``status`` says otherwise."""
    from claims.models import StatementTopic

    statement = StatementFactory(**{"status": ReviewStatus.DRAFT, **fields})
    StatementTopic.objects.create(statement=statement, topic=TopicFactory())
    CitationFactory(statement=statement, verified=True)
    return statement
