"""Who may see and who may change published words: each rule once, called by every reader and writer.

The database holds the same rule for writes (``claims.migrations.0006_published_words_guard``):
a person's write that touches a published or retracted statement, or anything of it (claims,
their topics and parties, the relations they start, topic links, citations), is refused unless
that person may publish; and any edit of a reviewed statement or of anything of it sends the
statement back to draft, with a transition saying so. The checks here only decide what the
pages and the admin offer; the database is what no write path can skip.
"""

from claims.choices import ReviewStatus

# Published words change only through those who may publish: retracted ones too, since a
# retraction is itself part of the published record.
LOCKED_STATUSES = (ReviewStatus.PUBLISHED, ReviewStatus.RETRACTED)

PUBLISH_PERMISSION = "claims.publish_statement"
# Reading statements in the admin is what the four roles hold; the same permission opens drafts,
# reviewed and retracted statements in the analysts' pages, the API and the exports.
SEE_UNPUBLISHED_PERMISSION = "claims.view_statement"

# The reason written on the transition when an edit sends a reviewed statement back to draft (the
# database writes it, in claims.migrations.0006_published_words_guard).
EDITED_AFTER_REVIEW = "Edited after review: back to draft."


def may_see_unpublished(user) -> bool:
    """True when ``user`` reads drafts, reviewed and retracted statements, not only published ones."""
    return user is not None and user.is_authenticated and user.has_perm(SEE_UNPUBLISHED_PERMISSION)


def may_edit_published(user) -> bool:
    """True when ``user`` may change the words of a published or retracted statement (and its parts)."""
    return user is not None and user.is_authenticated and user.has_perm(PUBLISH_PERMISSION)


def is_locked(status: str) -> bool:
    return status in LOCKED_STATUSES


def statement_locked_for(statement, user) -> bool:
    """True when ``statement`` is published or retracted and ``user`` may not change it."""
    return statement is not None and is_locked(statement.status) and not may_edit_published(user)
