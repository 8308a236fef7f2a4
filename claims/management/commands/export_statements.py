"""manage.py export_statements: the statements CSV, exactly as /statements/export.csv writes it.

Filters are the list page's parameters, given as its query string and/or as options:
    manage.py export_statements "topic=3&said_on_from=۱۴۰۳-۰۱-۰۱" --language fa -o statements.csv
"""

import codecs

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from claims.exports import STATEMENT_COLUMNS, stream_csv
from claims.filters import StatementFilterSet
from claims.rules import SEE_UNPUBLISHED_PERMISSION
from claims.selectors import FilterError, statement_list


class _Operator(AnonymousUser):
    """Whoever runs manage.py on the server: may see every review status when asked to."""

    @property
    def is_authenticated(self):
        return True

    def has_perm(self, perm, obj=None):
        return perm == SEE_UNPUBLISHED_PERMISSION


class ExportCommand(BaseCommand):
    selector = staticmethod(statement_list)
    columns = STATEMENT_COLUMNS
    filterset_class = StatementFilterSet
    what = "statements"

    def add_arguments(self, parser):
        parser.add_argument(
            "query", nargs="?", default="", help="Filter as the list page's query string, e.g. 'topic=3&language=fa'."
        )
        for name, filter_ in self.filterset_class.base_filters.items():
            parser.add_argument(
                f"--{name.replace('_', '-')}", dest=f"filter_{name}", action="append", metavar="VALUE",
                help=f"{filter_.label} (repeat for several values)",
            )  # fmt: skip
        parser.add_argument("-o", "--output", default="-", help="File to write (default: standard output).")
        parser.add_argument(
            "--include-unpublished",
            action="store_true",
            help="Export every review status (the web export shows anonymous visitors published rows only).",
        )

    def columns_for(self, user):
        return self.columns

    def filters(self, options) -> QueryDict:
        data = QueryDict(options["query"].lstrip("?"), mutable=True)
        for name in self.filterset_class.base_filters:
            values = options.get(f"filter_{name}")
            if values:
                data.setlist(name, [*data.getlist(name), *values])
        return data

    def handle(self, *args, **options):
        user = _Operator() if options["include_unpublished"] else AnonymousUser()
        try:
            queryset = self.selector(filters=self.filters(options), user=user)
        except FilterError as error:
            reasons = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.errors.items())
            raise CommandError(f"Invalid filter: {reasons}") from error
        chunks = stream_csv(queryset, self.columns_for(user))
        written = 0
        if options["output"] == "-":
            decoder = codecs.getincrementaldecoder("utf-8")()
            for chunk in chunks:
                self.stdout.write(decoder.decode(chunk), ending="")
            self.stdout.write(decoder.decode(b"", final=True), ending="")
            return
        with open(options["output"], "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
                written += len(chunk)
        self.stderr.write(f"Wrote {written} bytes of {self.what} to {options['output']}.")


class Command(ExportCommand):
    help = "Write the statements CSV for a filter (same bytes as /statements/export.csv)."
