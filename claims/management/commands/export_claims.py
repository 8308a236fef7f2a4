"""manage.py export_claims: the claims CSV, exactly as /claims/export.csv writes it."""

from claims.exports import CLAIM_COLUMNS, claim_columns
from claims.filters import ClaimFilterSet
from claims.management.commands.export_statements import ExportCommand
from claims.selectors import claim_list


class Command(ExportCommand):
    help = "Write the claims CSV for a filter (same bytes as /claims/export.csv)."
    selector = staticmethod(claim_list)
    columns = CLAIM_COLUMNS
    filterset_class = ClaimFilterSet
    what = "claims"

    def columns_for(self, user):
        return claim_columns(user)
