"""The published-words guard's lookups by a set of ids, not ``id = ANY(array)``.

Judged once per INSERT (0009), the guard gets every statement id of an import at once. ``id =
ANY(ids)`` with thousands of ids is checked against each row when the planner scans the table
(an empty or small table, a fresh database): ids × rows comparisons, quadratic in the import.
``id IN (SELECT unnest(ids))`` is a join, one lookup per id. Same rows, same rule.
"""

import importlib

from django.db import migrations

PREVIOUS = importlib.import_module("claims.migrations.0008_statement_parts_guard_skips_idle_update")
GUARD_0006 = importlib.import_module("claims.migrations.0006_published_words_guard")

FUNCTIONS = """
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
    FROM claims_statement WHERE id IN (SELECT unnest(statement_ids));
    IF locked_id IS NOT NULL AND NOT goftar_actor_may_publish() THEN
        PERFORM goftar_refuse_published_edit(locked_id);
    END IF;
    IF NOT coalesce(any_reviewed, false) THEN
        RETURN;
    END IF;
    WITH back AS (
        UPDATE claims_statement SET status = 'draft', status_changed_at = now(), version = version + 1
        WHERE id IN (SELECT unnest(statement_ids)) AND status = 'reviewed'
        RETURNING id
    )
    SELECT array_agg(id) INTO returned FROM back;
    IF returned IS NOT NULL THEN
        PERFORM goftar_record_back_to_draft(returned);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION goftar_claim_parts_written(claim_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF goftar_persons_write() THEN
        PERFORM goftar_statement_parts_written(
            ARRAY(SELECT DISTINCT statement_id FROM claims_claim WHERE id IN (SELECT unnest(claim_ids)))
        );
    END IF;
END
$$;
"""

# Backwards: 0008's statement function and 0006's claim function.
_CLAIM_FUNCTION_0006 = GUARD_0006.FUNCTIONS.index("CREATE OR REPLACE FUNCTION goftar_claim_parts_written")
REVERSE = PREVIOUS.FUNCTION + GUARD_0006.FUNCTIONS[_CLAIM_FUNCTION_0006:]


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_bulk_insert_events_per_statement"),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS, REVERSE),
    ]
