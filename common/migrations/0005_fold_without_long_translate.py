from django.db import migrations

from common.text import fold_function_sql


class Migration(migrations.Migration):
    """Replace goftar_fold with a body that returns the same text for every input, faster.

    translate() compares each character with its whole "from" list (63 characters): 1.0 s for a
    2 MB English page. The ASCII capitals now go through lower() under the "C" collation, and the
    letter variants and the Eastern digits through two short translates run only when the text
    holds one of their characters. Stored generated columns stay valid because the output is
    unchanged (tests/common/test_text.py checks Python/SQL agreement). See docs/benchmarks.md.
    """

    dependencies = [("common", "0004_database_jit_off")]
    operations = [migrations.RunSQL(fold_function_sql(), migrations.RunSQL.noop)]
