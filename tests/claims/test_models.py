"""Rules the database itself enforces, whatever code writes the rows."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from claims.models import Citation, OfficialAlias, Statement, Topic
from tests.claims.tree_helpers import branches_walked_from_parents, closure_pairs
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    ClaimFactory,
    ClaimRelationFactory,
    OfficialAliasFactory,
    OfficialFactory,
    PositionFactory,
    StatementFactory,
    TopicFactory,
)

DOMAIN_APPS = ("claims", "sources")

pytestmark = pytest.mark.django_db


def test_alias_is_unique_per_official_across_scripts():
    alias = OfficialAliasFactory(name="عباس عراقچي")
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficialAlias.objects.create(official=alias.official, name="عباس عراقچی")
    # Another official may share the printed name.
    OfficialAliasFactory(name="عباس عراقچی")


def test_alias_model_validation_reports_the_duplicate():
    alias = OfficialAliasFactory(name="كمال خرازي")
    duplicate = OfficialAlias(official=alias.official, name="کمال خرازی")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "already has this alias" in str(error.value)


def test_alias_normalized_form_is_computed_by_the_database():
    alias = OfficialAliasFactory(name="  Kamal\u00a0KHARRAZI ")
    alias.refresh_from_db()
    assert alias.normalized == "kamal kharrazi"


def test_position_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        PositionFactory(start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2019, 1, 1))
    PositionFactory(start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2020, 1, 1))


def test_citation_offsets_must_lie_inside_the_article_body():
    article = ArticleFactory(body="کمال خرازی گفت: گفتوگوها ادامه دارد.")
    statement = StatementFactory()
    with pytest.raises(IntegrityError, match="outside the article body"), transaction.atomic():
        Citation.objects.create(
            statement=statement, article=article, quote="x", start_offset=0, end_offset=len(article.body) + 1
        )
    citation = CitationFactory(statement=statement, article=article, start_offset=0, end_offset=10)
    # The trigger also guards updates, including raw ones.
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.filter(pk=citation.pk).update(end_offset=10_000)


def test_citation_end_must_follow_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        CitationFactory(start_offset=5, end_offset=5)


def test_claim_cannot_relate_to_itself():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimRelationFactory(from_claim=claim, to_claim=claim)


def test_statement_needs_an_official_or_a_printed_speaker_name():
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementFactory(official=None, speaker_name_as_printed="")
    StatementFactory(official=None, speaker_name_as_printed="سخنگوی وزارت خارجه")


def test_retraction_needs_a_reason():
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementFactory(status="retracted", retraction_reason="")


def test_article_url_unique_when_known_and_body_stored_once():
    first = ArticleFactory(url=None)
    ArticleFactory(url=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(body=first.body)


def test_statement_position_is_derived_from_its_date_unless_overridden():
    official = OfficialFactory()
    old = PositionFactory(official=official, start_date=datetime.date(1997, 8, 20), end_date=datetime.date(2005, 8, 24))
    current = PositionFactory(official=official, start_date=datetime.date(2006, 6, 1), end_date=None)
    in_office = StatementFactory(official=official, said_on=datetime.date(2024, 5, 12))
    earlier = StatementFactory(official=official, said_on=datetime.date(2001, 1, 1))
    overridden = StatementFactory(official=official, said_on=datetime.date(2024, 5, 12), position=old)
    held = dict(Statement.objects.with_position().values_list("pk", "held_position_id"))
    assert held[in_office.pk] == current.pk
    assert held[earlier.pk] == old.pk
    assert held[overridden.pk] == old.pk


def test_every_domain_model_has_its_inserts_updates_and_deletes_recorded_by_triggers():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_object_table::text, array_agg(DISTINCT event_manipulation::text)::text[] "
            "FROM information_schema.triggers WHERE trigger_name LIKE 'pgtrigger_%%' GROUP BY event_object_table::text"
        )
        operations = {table: set(ops) for table, ops in cursor.fetchall()}
    models = [
        m
        for app in DOMAIN_APPS
        for m in apps.get_app_config(app).get_models()
        # Models without default permissions hold derived rows a trigger rebuilds from audited
        # tables (the topic tree's closure): nothing in them is anyone's edit.
        if not m.__name__.endswith("Event") and m._meta.default_permissions
    ]
    assert models
    missing = {
        m._meta.db_table: operations.get(m._meta.db_table, set())
        for m in models
        if not {"INSERT", "UPDATE", "DELETE"} <= operations.get(m._meta.db_table, set())
    }
    assert missing == {}


def test_topic_closure_follows_the_tree_however_it_is_written():
    iran_us = TopicFactory(name="Iran–US relations")
    talks = TopicFactory(name="Indirect talks", parent=iran_us)
    (oman,) = Topic.objects.bulk_create([Topic(name="Oman channel", slug="oman-channel", parent=talks)])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO claims_topic (name, name_fa, name_ar, slug, parent_id, keywords, description, version, "
            "created_at, updated_at) VALUES ('Swiss channel', '', '', 'swiss-channel', %s, '{}', '', 1, now(), now()) "
            "RETURNING id",
            [talks.pk],
        )
        (swiss,) = cursor.fetchone()
    assert closure_pairs() == branches_walked_from_parents()
    assert {descendant for ancestor, descendant in closure_pairs() if ancestor == iran_us.pk} == {
        iran_us.pk, talks.pk, oman.pk, swiss
    }  # fmt: skip

    # A branch moved in one UPDATE: its topics leave the old root's branch and join the new one's.
    region = TopicFactory(name="Region")
    Topic.objects.filter(pk=talks.pk).update(parent=region)
    assert closure_pairs() == branches_walked_from_parents()
    assert (iran_us.pk, oman.pk) not in closure_pairs()
    assert (region.pk, swiss) in closure_pairs()

    # Saved through the model (as the admin does), then deleted by the ORM and by raw SQL.
    talks.refresh_from_db()
    talks.parent = None
    talks.save()
    assert (region.pk, oman.pk) not in closure_pairs()
    Topic.objects.filter(pk=oman.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM claims_topic WHERE id = %s", [swiss])
    assert closure_pairs() == branches_walked_from_parents()
    assert {pair for pair in closure_pairs() if talks.pk in pair} == {(talks.pk, talks.pk)}
