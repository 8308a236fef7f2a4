"""Writes of the claims app: the review workflow of statements.

draft → reviewed → published; published → retracted (with a reason). Each step locks the
statement row, checks the step is allowed from the status it finds (not the one the caller
believes), writes a StatementTransition (who, when, from, to, reason) and bumps the statement's
version so that any edit form opened before the step is refused as stale. The database keeps
the full before/after in the statement's pghistory events; the context names the action.
"""

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from claims.choices import AttributionType, ReviewStatus
from claims.models import Statement, StatementTransition

MESSAGE_TRANSITION_NOT_ALLOWED = "A {from_status} statement cannot be {verb}: only a {expected} one can."
MESSAGE_NOT_PERMITTED = "You are not allowed to {verb} statements."
MESSAGE_REASON_REQUIRED = "A retraction needs a reason."
MESSAGE_NOT_PUBLISHABLE = gettext_noop("Not publishable yet: {problems}.")
# What a statement must have before anonymous readers see it, each with what to do about it.
PUBLISH_NEEDS_SPEAKER = gettext_noop("no official matched (choose one, or set the attribution to “unnamed source”)")
PUBLISH_NEEDS_TOPIC = gettext_noop("no topic")
PUBLISH_NEEDS_CITATION = gettext_noop("no verified citation (check its quote against the article)")

# action: (permission, verb, status it must be in, status it moves to)
TRANSITIONS = {
    "review": ("claims.review_statement", "reviewed", ReviewStatus.DRAFT, ReviewStatus.REVIEWED),
    "publish": ("claims.publish_statement", "published", ReviewStatus.REVIEWED, ReviewStatus.PUBLISHED),
    "retract": ("claims.retract_statement", "retracted", ReviewStatus.PUBLISHED, ReviewStatus.RETRACTED),
}


def statement_publish_problems(statement: Statement) -> list[str]:
    """What ``statement`` still lacks to be published (translated; empty when nothing does): a
    resolved official or an explicit unnamed source, a topic, a verified citation."""
    problems = []
    if statement.official_id is None and statement.attribution != AttributionType.UNNAMED_SOURCE:
        problems.append(_(PUBLISH_NEEDS_SPEAKER))
    if not statement.topic_links.exists():
        problems.append(_(PUBLISH_NEEDS_TOPIC))
    if not statement.citations.filter(verified=True).exists():
        problems.append(_(PUBLISH_NEEDS_CITATION))
    return problems


def statement_can(*, user, action: str) -> bool:
    """True when ``user`` may take the workflow ``action`` (review, publish, retract)."""
    return user is not None and user.has_perm(TRANSITIONS[action][0])


@transaction.atomic
def _statement_transition(*, statement: Statement, actor, action: str, reason: str = "") -> Statement:
    permission, verb, expected, target = TRANSITIONS[action]
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied(MESSAGE_NOT_PERMITTED.format(verb=action))
    # Lock the row: two editors publishing the same statement at once make one transition, not two.
    locked = Statement.objects.select_for_update().get(pk=statement.pk)
    if locked.status != expected:
        raise ValidationError(
            MESSAGE_TRANSITION_NOT_ALLOWED.format(from_status=locked.status, verb=verb, expected=expected),
            code="transition_not_allowed",
        )
    if target == ReviewStatus.PUBLISHED and (problems := statement_publish_problems(locked)):
        raise ValidationError(
            _(MESSAGE_NOT_PUBLISHABLE).format(problems="; ".join(problems)), code="not_publishable"
        )
    from_status = locked.status
    locked.status = target
    locked.status_changed_at = timezone.now()
    if target == ReviewStatus.RETRACTED:
        locked.retraction_reason = reason
    locked.full_clean()
    locked.version = F("version") + 1
    metadata = {"action": f"statement_{action}"}
    if reason:
        metadata["reason"] = reason
    if actor is not None:
        metadata["user"] = actor.pk
    with pghistory.context(**metadata):
        locked.save(update_fields=["status", "status_changed_at", "retraction_reason", "version", "updated_at"])
        StatementTransition.objects.create(
            statement=locked, from_status=from_status, to_status=target, actor=actor, reason=reason
        )
    locked.refresh_from_db(fields=["version", "updated_at"])
    return locked


def statement_review(*, statement: Statement, actor) -> Statement:
    """Mark a draft statement reviewed (a second pair of eyes has checked it against its sources)."""
    return _statement_transition(statement=statement, actor=actor, action="review")


def statement_publish(*, statement: Statement, actor) -> Statement:
    """Publish a reviewed statement that has all it needs (``statement_publish_problems``): from now
    on anonymous visitors see it, and it is never deleted."""
    return _statement_transition(statement=statement, actor=actor, action="publish")


def statement_retract(*, statement: Statement, actor, reason: str) -> Statement:
    """Retract a published statement with a reason; it stays visible to staff as retracted."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_(MESSAGE_REASON_REQUIRED), code="reason_required")
    return _statement_transition(statement=statement, actor=actor, action="retract", reason=reason)


def statements_transition(*, statements, actor, action: str, reason: str = "") -> tuple[int, list[str]]:
    """Apply one workflow action to many statements (admin bulk actions), each in its own
    transaction so that one refusal does not undo the others. Returns (done, error messages)."""
    service = {"review": statement_review, "publish": statement_publish, "retract": statement_retract}[action]
    done, errors = 0, []
    for statement in statements:
        kwargs = {"reason": reason} if action == "retract" else {}
        try:
            service(statement=statement, actor=actor, **kwargs)
        except ValidationError as exc:
            errors.append(f"#{statement.pk}: {' '.join(exc.messages)}")
        else:
            done += 1
    return done, errors


@transaction.atomic
def statements_topic_add(*, statements, topic, actor) -> int:
    """Tag many statements with one topic in one INSERT ... SELECT (any number of rows, one round
    trip; the history triggers still record each new link). Statements that already carry the
    topic are left alone; published and retracted ones are skipped for users who may not edit
    them. Returns how many statements were tagged."""
    from django.db import connection

    from claims.models import StatementTopic

    statements = statements.editable_by(actor)
    select_sql, params = statements.order_by().values("pk").query.sql_with_params()
    table = StatementTopic._meta.db_table
    with pghistory.context(action="statements_topic_add", user=actor.pk), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (statement_id, topic_id) SELECT chosen.id, %s FROM ({select_sql}) AS chosen(id) "  # noqa: S608
            "ON CONFLICT (statement_id, topic_id) DO NOTHING",
            [topic.pk, *params],
        )
        return cursor.rowcount


@transaction.atomic
def citations_verify(*, citations, actor) -> tuple[int, int]:
    """Check each citation's quote against its article's body at the stored offsets and set
    ``verified`` to the answer, in one UPDATE (rows whose answer is unchanged are not written, so
    the history records only real changes). Citations of published statements are checked only for
    users who may change published words. Returns (verified, not verified) among those checked."""
    from django.db import connection

    from claims.models import Citation
    from sources.models import Article

    citations = citations.filter(statement__in=Statement.objects.editable_by(actor).values("pk"))

    select_sql, params = citations.order_by().values("pk").query.sql_with_params()
    table, articles = Citation._meta.db_table, Article._meta.db_table
    # substr counts characters, as Python slicing and the offsets trigger do.
    matches = (
        "substr(article.body, citation.start_offset + 1, citation.end_offset - citation.start_offset)"
        " = citation.quote"
    )
    with pghistory.context(action="citations_verify", user=actor.pk), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS citation SET verified = ({matches}) FROM {articles} AS article "  # noqa: S608
            f"WHERE article.id = citation.article_id AND citation.id IN ({select_sql}) "
            f"AND citation.verified IS DISTINCT FROM ({matches})",
            params,
        )
    totals = Citation.objects.filter(pk__in=citations.order_by().values("pk")).aggregate(
        verified=Count("pk", filter=Q(verified=True)), all=Count("pk")
    )
    return totals["verified"], totals["all"] - totals["verified"]
