"""The published-words guard (0006) without an UPDATE when there is nothing to send back to draft.

``goftar_statement_parts_written`` runs after every row written to a part of a statement. For the
draft statements of an import it found nothing to refuse and nothing reviewed, yet ran an UPDATE
(with its RETURNING and array_agg) on every row: 1.5 ms a row here, most of an import's time on a
page of thousands of statements. It now looks first (an index lookup) and updates only when a
reviewed statement is among those written. Same rule, same refusals, same transitions.
"""

import importlib

from django.db import migrations

GUARD_0006 = importlib.import_module("claims.migrations.0006_published_words_guard")

FUNCTION = """
CREATE OR REPLACE FUNCTION goftar_statement_parts_written(statement_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    locked_id bigint;
    any_reviewed boolean;
    returned bigint[];
BEGIN
    IF NOT goftar_persons_write() THEN
        RETURN;
    END IF;
    SELECT min(id) FILTER (WHERE status IN ('published', 'retracted')), bool_or(status = 'reviewed')
    INTO locked_id, any_reviewed
    FROM claims_statement WHERE id = ANY(statement_ids);
    IF locked_id IS NOT NULL AND NOT goftar_actor_may_publish() THEN
        PERFORM goftar_refuse_published_edit(locked_id);
    END IF;
    IF NOT coalesce(any_reviewed, false) THEN
        RETURN;
    END IF;
    WITH back AS (
        UPDATE claims_statement SET status = 'draft', status_changed_at = now(), version = version + 1
        WHERE id = ANY(statement_ids) AND status = 'reviewed'
        RETURNING id
    )
    SELECT array_agg(id) INTO returned FROM back;
    IF returned IS NOT NULL THEN
        PERFORM goftar_record_back_to_draft(returned);
    END IF;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_citation_offsets_per_statement"),
    ]

    operations = [
        # Backwards: the 0006 definitions again (CREATE OR REPLACE of all of them).
        migrations.RunSQL(FUNCTION, GUARD_0006.FUNCTIONS),
    ]
