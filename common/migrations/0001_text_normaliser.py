from django.db import migrations

from common.text import DROP_FOLD_FUNCTION_SQL, fold_function_sql


class Migration(migrations.Migration):
    """The SQL twin of common.text.fold and the search-document function built on it.

    Generated search columns and their GIN indexes depend on these functions; a change to the
    fold needs a new migration that replaces the functions and rebuilds those columns.
    """

    initial = True
    dependencies = []
    operations = [migrations.RunSQL(fold_function_sql(), DROP_FOLD_FUNCTION_SQL)]
