"""The published-words guard in the database (claims.rules says the rule; this is what enforces it).

A person's write carries its actor in the audit context (pghistory's ``pghistory.context_metadata``
with a ``user`` key: the history middleware on every writing request, and the services with their
actor). Such a write that changes a published or retracted statement, or a part of one, is refused
unless the actor may publish (the same permission Django's ``has_perm`` checks: directly, through a
group, or as an active superuser). Any such edit of a reviewed statement, or of a part of it, sends
the statement back to draft and records the transition. Writes that carry no person (the
operator's own commands: migrations, the demo loader, the corpus generator) are not judged.
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION goftar_persons_write() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT COALESCE(NULLIF(current_setting('pghistory.context_metadata', true), '')::jsonb ? 'user', false)
$$;

CREATE OR REPLACE FUNCTION goftar_actor_id() RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT (NULLIF(current_setting('pghistory.context_metadata', true), '')::jsonb ->> 'user')::bigint
$$;

CREATE OR REPLACE FUNCTION goftar_actor_may_publish() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM auth_user AS u
        WHERE u.id = goftar_actor_id() AND u.is_active AND (
            u.is_superuser
            OR EXISTS (
                SELECT 1 FROM auth_user_user_permissions AS up
                JOIN auth_permission AS p ON p.id = up.permission_id
                JOIN django_content_type AS ct ON ct.id = p.content_type_id
                WHERE up.user_id = u.id AND ct.app_label = 'claims' AND p.codename = 'publish_statement'
            )
            OR EXISTS (
                SELECT 1 FROM auth_user_groups AS ug
                JOIN auth_group_permissions AS gp ON gp.group_id = ug.group_id
                JOIN auth_permission AS p ON p.id = gp.permission_id
                JOIN django_content_type AS ct ON ct.id = p.content_type_id
                WHERE ug.user_id = u.id AND ct.app_label = 'claims' AND p.codename = 'publish_statement'
            )
        )
    )
$$;

CREATE OR REPLACE FUNCTION goftar_refuse_published_edit(statement_id bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'restrict_violation',
        CONSTRAINT = 'published_words_locked',
        MESSAGE = format('statement %s is published: only someone who may publish changes it or its parts', statement_id);
END
$$;

-- What a reviewer checked: every column but the bookkeeping ones.
CREATE OR REPLACE FUNCTION goftar_statement_content(row_values jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT row_values - ARRAY['version', 'updated_at', 'status', 'status_changed_at', 'search_document']
$$;

CREATE OR REPLACE FUNCTION goftar_record_back_to_draft(statement_ids bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO claims_statementtransition (statement_id, from_status, to_status, actor_id, reason, at)
    SELECT id, 'reviewed', 'draft', goftar_actor_id(), 'Edited after review: back to draft.', now()
    FROM unnest(statement_ids) AS id
$$;

CREATE OR REPLACE FUNCTION goftar_statement_parts_written(statement_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    locked_id bigint;
    returned bigint[];
BEGIN
    IF NOT goftar_persons_write() THEN
        RETURN;
    END IF;
    SELECT id INTO locked_id FROM claims_statement
    WHERE id = ANY(statement_ids) AND status IN ('published', 'retracted') LIMIT 1;
    IF locked_id IS NOT NULL AND NOT goftar_actor_may_publish() THEN
        PERFORM goftar_refuse_published_edit(locked_id);
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

CREATE OR REPLACE FUNCTION goftar_claim_parts_written(claim_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF goftar_persons_write() THEN
        PERFORM goftar_statement_parts_written(ARRAY(SELECT statement_id FROM claims_claim WHERE id = ANY(claim_ids)));
    END IF;
END
$$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS goftar_claim_parts_written(bigint[]);
DROP FUNCTION IF EXISTS goftar_statement_parts_written(bigint[]);
DROP FUNCTION IF EXISTS goftar_record_back_to_draft(bigint[]);
DROP FUNCTION IF EXISTS goftar_statement_content(jsonb);
DROP FUNCTION IF EXISTS goftar_refuse_published_edit(bigint);
DROP FUNCTION IF EXISTS goftar_actor_may_publish();
DROP FUNCTION IF EXISTS goftar_actor_id();
DROP FUNCTION IF EXISTS goftar_persons_write();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0005_topic_closure'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
        pgtrigger.migrations.AddTrigger(
            model_name='citation',
            trigger=pgtrigger.compiler.Trigger(name='citation_words_guard', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM goftar_statement_parts_written(ARRAY[OLD.statement_id, NEW.statement_id]::bigint[]); RETURN NULL;', hash='2c6d96e373b1706e830a6c8d919e57d1151b23e4', operation='INSERT OR UPDATE OR DELETE', pgid='pgtrigger_citation_words_guard_71c96', table='claims_citation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='claim',
            trigger=pgtrigger.compiler.Trigger(name='claim_words_guard', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM goftar_statement_parts_written(ARRAY[OLD.statement_id, NEW.statement_id]::bigint[]); RETURN NULL;', hash='5866c05ef195959804e0ed6045b8e5c2776725c2', operation='INSERT OR UPDATE OR DELETE', pgid='pgtrigger_claim_words_guard_89a03', table='claims_claim', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='claimparty',
            trigger=pgtrigger.compiler.Trigger(name='claimparty_words_guard', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM goftar_claim_parts_written(ARRAY[OLD.claim_id, NEW.claim_id]::bigint[]); RETURN NULL;', hash='ed7f5bd674b2cf29a33d16bd456bcbd7541eca00', operation='INSERT OR UPDATE OR DELETE', pgid='pgtrigger_claimparty_words_guard_bd9bf', table='claims_claimparty', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='claimrelation',
            trigger=pgtrigger.compiler.Trigger(name='claimrelation_words_guard', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM goftar_claim_parts_written(ARRAY[OLD.from_claim_id, NEW.from_claim_id]::bigint[]); RETURN NULL;', hash='25fbb047344dce7b164c97fb954a0d0b3b6dc53b', operation='INSERT OR UPDATE OR DELETE', pgid='pgtrigger_claimrelation_words_guard_03060', table='claims_claimrelation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='claimtopic',
            trigger=pgtrigger.compiler.Trigger(name='claimtopic_words_guard', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM goftar_claim_parts_written(ARRAY[OLD.claim_id, NEW.claim_id]::bigint[]); RETURN NULL;', hash='019fb1f196a6f6e75b34d65a80dba83d967748aa', operation='INSERT OR UPDATE OR DELETE', pgid='pgtrigger_claimtopic_words_guard_82145', table='claims_claimtopic', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='statement',
            trigger=pgtrigger.compiler.Trigger(name='statement_words_guard', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n                    IF NOT goftar_persons_write() THEN\n                        RETURN NEW;\n                    END IF;\n                    IF OLD.status IN ('published', 'retracted') AND NOT goftar_actor_may_publish() THEN\n                        PERFORM goftar_refuse_published_edit(OLD.id);\n                    END IF;\n                    IF OLD.status = 'reviewed' AND NEW.status = 'reviewed'\n                       AND goftar_statement_content(to_jsonb(OLD))\n                           IS DISTINCT FROM goftar_statement_content(to_jsonb(NEW)) THEN\n                        NEW.status := 'draft';\n                        NEW.status_changed_at := now();\n                        PERFORM goftar_record_back_to_draft(ARRAY[NEW.id]);\n                    END IF;\n                    RETURN NEW;\n                ", hash='d5fe531fead17f20d07cf41a5e069c338ee35344', operation='UPDATE', pgid='pgtrigger_statement_words_guard_d2612', table='claims_statement', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='statementtopic',
            trigger=pgtrigger.compiler.Trigger(name='statementtopic_words_guard', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM goftar_statement_parts_written(ARRAY[OLD.statement_id, NEW.statement_id]::bigint[]); RETURN NULL;', hash='205773ad7087942c798b68fbae1103e281cf0a56', operation='INSERT OR UPDATE OR DELETE', pgid='pgtrigger_statementtopic_words_guard_0522d', table='claims_statementtopic', when='AFTER')),
        ),
    ]
