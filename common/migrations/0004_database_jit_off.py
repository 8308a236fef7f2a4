from django.db import migrations

# ALTER DATABASE needs the database's owner (or a superuser); where the application's role lacks
# it, say so and go on: the setting is a speed-up, not a correctness rule.
JIT_OFF = """
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'goftar: cannot ALTER DATABASE %; set jit = off in postgresql.conf instead', current_database();
END
$$;
"""
JIT_DEFAULT = """
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I RESET jit', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END
$$;
"""


class Migration(migrations.Migration):
    """Turn PostgreSQL's JIT compiler off for this database (new sessions).

    On 1,000,000 statements the JIT compiled the CSV export's SELECT for 2.7 s before the first row
    (in each parallel worker again): the first row came after 6 s with JIT, 1.8 s without, and the
    whole export took 18-21 s instead of 13-18 s. Interactive reads never run long enough to repay
    the compilation. See docs/benchmarks.md.
    """

    dependencies = [("common", "0003_faster_fold_function")]
    operations = [migrations.RunSQL(JIT_OFF, JIT_DEFAULT)]
