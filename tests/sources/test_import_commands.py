"""``manage.py import_article``: one or several pages, standard input, dry runs, bad input, a kill."""

import io
import os
import signal
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from sources.importers.base import MAX_IMPORT_BYTES
from sources.models import Article
from sources.services import TEST_PAUSE_ENVIRONMENT_VARIABLE, article_import
from tests.sources.test_importers import DATA, SEED, create_reference_data, stored_rows


@pytest.fixture
def reference(db):
    return create_reference_data()


# How long the killed import may take to reach its pause before the test gives up.
PAUSE_WAIT_SECONDS = 60


def run(*args, stdin: bytes | None = None, monkeypatch=None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    call_command("import_article", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_what_it_created_then_unchanged(reference):
    out, _ = run(str(SEED), "--outlet", "Asriran")
    article = Article.objects.get()
    assert f"created – article #{article.pk}" in out
    assert "created 1 article, 4 statements, 4 citations" in out
    assert "skipped 2 statements" in out
    assert "UTF-8, text" in out
    out, _ = run(str(SEED), "--outlet", "Asriran")
    assert "unchanged" in out and "created 0" in out
    assert Article.objects.count() == 1


def test_dry_run_rolls_back_and_shows_the_statements(reference):
    before = stored_rows()
    out, _ = run(str(SEED), "--outlet", "Asriran", "--dry-run")
    assert "[dry run, rolled back]" in out
    assert "would create 1 article, 4 statements" in out
    assert "Kamal Kharrazi (Head of the Strategic Council on Foreign Relations)" in out
    assert "published 2024-05-12T09:44:00+03:30" in out
    assert stored_rows() == before


def test_several_pages_with_a_progress_bar_and_a_summary(reference):
    paths = [str(SEED), str(DATA / "fa_report_araghchi.txt"), str(DATA / "fa_report_windows1256.txt")]
    out, err = run(*paths, "--outlet", "Asriran")
    assert "[" + "#" * 30 + "] 3/3" in err
    assert "3 page(s), 0 failed: created 3 articles" in out
    assert "Windows-1256" in out
    assert Article.objects.count() == 3


def test_standard_input(reference, monkeypatch):
    out, _ = run(
        "-",
        "--outlet",
        "Asriran",
        "--url",
        "https://www.asriran.com/fa/news/965708",
        stdin=SEED.read_bytes(),
        monkeypatch=monkeypatch,
    )
    assert "created – article" in out
    assert Article.objects.get().url == "https://www.asriran.com/fa/news/965708"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "The page is empty"),
        ("not_a_page.png", "binary file (PNG image)"),
        ("binary_blob.bin", "binary file"),
        ("no_such_page.txt", "No such file"),
    ],
)
def test_bad_input_is_a_command_error_and_saves_nothing(reference, name, message):
    before = stored_rows()
    with pytest.raises(CommandError) as error:
        run(str(DATA / name), "--outlet", "Asriran")
    assert message in str(error.value) and "Nothing was saved" in str(error.value)
    assert stored_rows() == before


def test_oversize_file_names_the_limit(reference, tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_IMPORT_BYTES + 10))
    with pytest.raises(CommandError, match="the import limit is 2 MB"):
        run(str(big))
    assert Article.objects.count() == 0


def test_one_bad_page_among_several_fails_alone(reference):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_article",
            str(SEED),
            str(DATA / "empty.txt"),
            "--outlet",
            "Asriran",
            "--dry-run",
            stdout=out,
            stderr=io.StringIO(),
        )
    assert "Dry run (rolled back): 2 page(s), 1 failed: would create 1 article" in out.getvalue()
    assert Article.objects.count() == 0
    with pytest.raises(CommandError) as error:
        run(str(SEED), str(DATA / "empty.txt"), "--outlet", "Asriran")
    assert "1 of 2 page(s) could not be imported" in str(error.value)
    assert "empty.txt" in str(error.value)
    assert Article.objects.count() == 1  # the good page is committed in its own transaction


def test_url_with_several_pages_is_refused(reference):
    with pytest.raises(CommandError, match="--url names one page"):
        run(str(SEED), str(DATA / "fa_report_araghchi.txt"), "--url", "https://example.org/a")


def _database_url() -> str:
    """The test database as a DATABASE_URL, so that a child process writes where this test reads."""
    db = connection.settings_dict
    host = quote(str(db["HOST"]), safe="") if str(db["HOST"]).startswith("/") else db["HOST"]
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{quote(db['USER'])}{password}@{host}{port}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_killed_import_leaves_the_database_as_it_was(reference, tmp_path):
    """kill -9 while the import's transaction is open: PostgreSQL rolls it back, nothing remains."""
    before = stored_rows()
    marker = tmp_path / "paused"
    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        TEST_PAUSE_ENVIRONMENT_VARIABLE: str(marker),
    }
    child = subprocess.Popen(
        [sys.executable, "manage.py", "import_article", str(SEED), "--outlet", "Asriran"],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + PAUSE_WAIT_SECONDS
        while not marker.exists():
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline, "the import never reached its pause"
            time.sleep(0.05)
        # The child has written its rows inside its open transaction ...
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert stored_rows() == before
    # ... and nothing of it lingers: the same page imports at once, the unique body free again.
    report = article_import(content=SEED.read_bytes(), outlet_name="Asriran")
    assert report.outcome == "created"
    assert Article.objects.count() == 1
