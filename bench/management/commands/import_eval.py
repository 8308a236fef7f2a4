"""``manage.py import_eval``: the import measured on the real-page evaluation set (see bench.import_eval)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bench.import_eval import EVALUATION_DIR, evaluation_run, render_report


class Command(BaseCommand):
    help = (
        "Import every page of the real-page evaluation set (bench/evaluation/) with its officials and outlets "
        "loaded first, and score dates, upstream credits, speakers, wrong attributions and page chrome against "
        "the hand-written expectations. Everything is rolled back at the end unless --keep."
    )

    def add_arguments(self, parser):
        parser.add_argument("--page", default="", help="Score one page (its file name without extension, or a prefix).")
        parser.add_argument("--verbose", action="store_true", help="Show every draft and every missed statement.")
        parser.add_argument("--check", action="store_true", help="Exit non-zero when a total is below an issue 16 bar.")
        parser.add_argument("--keep", action="store_true", help="Commit the officials, outlets and imported pages.")
        parser.add_argument("--json", dest="json_path", help="Also write the scores as JSON to this file.")
        parser.add_argument(
            "--set",
            dest="directory",
            default=str(EVALUATION_DIR),
            help="The evaluation set folder (default: %(default)s).",
        )

    def handle(self, *args, page, verbose, check, keep, json_path, directory, **options):
        folder = Path(directory)
        if not (folder / "pages").is_dir():
            raise CommandError(f"{folder} has no pages/ folder.")
        try:
            result = evaluation_run(directory=folder, only=page, keep=keep, say=self.stderr.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(render_report(result, verbose=verbose))
        if json_path:
            Path(json_path).write_text(json.dumps(result.as_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        failed = [label for label, _, _, _, passed in result.bars() if not passed]
        if check and failed:
            raise CommandError(f"Below the bar: {', '.join(failed)}.")
