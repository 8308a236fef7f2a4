"""manage.py import_eval: the real-page evaluation set and its scoring (issue 16)."""

import json
import shutil
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bench.import_eval import BARS, EVALUATION_DIR, chrome_reason
from claims.models import Official, Position
from sources.models import Article, Outlet

# One page per language; which of their statements the importer gets right is read from a first run.
SUBSET = ["ar-16-mekhlafi-sanaa", "en-10-tehrantimes-baqaei-weekly-briefing", "fa-22-pezeshkian-press-meeting"]
NOT_ON_ANY_PAGE = "words that no page of the set prints"


def _pages():
    return sorted((EVALUATION_DIR / "pages").glob("*.json"))


def test_the_set_is_real_size_and_every_expectation_is_on_its_page():
    officials = {o["id"] for o in json.loads((EVALUATION_DIR / "officials.json").read_text(encoding="utf-8"))}
    languages = Counter()
    for path in _pages():
        expected = json.loads(path.read_text(encoding="utf-8"))
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        languages[expected["language"]] += 1
        assert expected["url"].startswith("http"), path.name
        if expected["published"]:
            assert expected["published"]["printed"] in text, path.name
        for statement in expected["statements"]:
            assert statement["words"] in text, (path.name, statement["words"])
            if statement.get("words_continued"):
                assert statement["words_continued"] in text, path.name
            assert statement["speaker"] is None or statement["speaker"] in officials, path.name
    assert sum(languages.values()) >= 60
    assert languages["fa"] >= 20 and languages["ar"] >= 15 and languages["en"] >= 15


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("۱۴۰۳/۰۳/۲۱ ۱۲:۰۳", "date"),
        ("(00:41)", "time stamp"),
        ("Tehran Times", "site name"),
        ("TEHRAN, Jan 23 (IRNA)", "date line"),
        ("The US", "place"),
        ("Esmaeil Baghaei", ""),
    ],
)
def test_chrome_reason(text, reason):
    assert chrome_reason(text, site_names={"tehran times"}) == reason


def _subset(tmp_path, names=SUBSET):
    folder = tmp_path / "set"
    (folder / "pages").mkdir(parents=True)
    for name in ("officials.json", "outlets.json"):
        shutil.copy(EVALUATION_DIR / name, folder / name)
    for name in names:
        for suffix in (".txt", ".json"):
            shutil.copy(EVALUATION_DIR / "pages" / f"{name}{suffix}", folder / "pages" / f"{name}{suffix}")
    return folder


def _run(folder, tmp_path, *extra):
    out, scores = StringIO(), tmp_path / "scores.json"
    call_command("import_eval", "--set", str(folder), "--json", str(scores), *extra, stdout=out, stderr=StringIO())
    return out.getvalue(), json.loads(scores.read_text(encoding="utf-8"))


def _expectation(folder, name):
    return folder / "pages" / f"{name}.json"


@pytest.mark.django_db
def test_the_report_has_a_row_per_page_totals_and_every_bar_and_leaves_nothing_behind(tmp_path):
    before = (Official.objects.count(), Position.objects.count(), Outlet.objects.count(), Article.objects.count())
    output, scores = _run(_subset(tmp_path), tmp_path, "--verbose")

    for name in SUBSET:
        assert name in output
    assert [p["name"] for p in scores["pages"]] == SUBSET
    assert [bar["label"] for bar in scores["bars"]] == [label for label, *_ in BARS]
    assert output.count("PASS") + output.count("FAIL") == len(BARS)
    totals = scores["totals"]
    assert totals["pages"] == len(SUBSET)
    assert totals["statements_expected"] == sum(len(p["statements"]) for p in scores["pages"])
    assert totals["drafts"] == sum(len(p["drafts"]) for p in scores["pages"])
    assert 0 <= totals["recall"] <= 1 and 0 <= totals["precision"] <= 1
    assert totals["statements_found_right"] <= totals["statements_found"] <= totals["statements_expected"]
    for page in scores["pages"]:
        assert page["upstream"] in ("right", "missed", "false", "false: the outlet itself", "false: a denied source")
    # Rolled back: the officials, outlets and articles of the run are gone.
    after = (Official.objects.count(), Position.objects.count(), Outlet.objects.count(), Article.objects.count())
    assert after == before


@pytest.mark.django_db
def test_a_changed_expectation_is_counted_missed_and_a_wrong_speaker_is_a_wrong_attribution(tmp_path):
    folder = _subset(tmp_path)
    _, first = _run(folder, tmp_path)
    page = next(p for p in first["pages"] if any(s["right_speaker"] and s["speaker"] for s in p["statements"]))
    index = next(i for i, s in enumerate(page["statements"]) if s["right_speaker"] and s["speaker"])
    expected = json.loads(_expectation(folder, page["name"]).read_text(encoding="utf-8"))
    original = dict(expected["statements"][index])

    expected["statements"][index]["words"] = NOT_ON_ANY_PAGE
    _expectation(folder, page["name"]).write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
    _, missed = _run(folder, tmp_path, "--page", page["name"])
    statement = missed["pages"][0]["statements"][index]
    assert not statement["found"] and not statement["right_speaker"]
    assert missed["pages"][0]["found_right"] == page["found_right"] - 1

    other = next(
        o["id"]
        for o in json.loads((folder / "officials.json").read_text(encoding="utf-8"))
        if o["id"] != original["speaker"]
    )
    expected["statements"][index] = original | {"speaker": other}
    _expectation(folder, page["name"]).write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
    _, wrong = _run(folder, tmp_path, "--page", page["name"])
    statement = wrong["pages"][0]["statements"][index]
    assert statement["found"] and not statement["right_speaker"]
    assert wrong["totals"]["wrong_attributions"] >= 1


@pytest.mark.django_db
def test_check_passes_on_an_expectation_the_import_meets_and_fails_once_it_is_changed(tmp_path):
    folder = _subset(tmp_path)
    _, first = _run(folder, tmp_path)
    # A page with drafts and no chrome, its expectation rewritten to what was read: every bar is met.
    page = next(p for p in first["pages"] if p["drafts"] and not p["chrome"] and not p["upstream"].startswith("false"))
    expected = json.loads(_expectation(folder, page["name"]).read_text(encoding="utf-8"))
    expected["published"] = {"printed": "", "iso": page["date_read"]} if page["date_read"] else None
    expected["upstream"] = {"printed": page["upstream_read"], "outlet": None} if page["upstream_read"] else None
    expected["denied_source"] = None
    expected["statements"] = [
        {"speaker": d["speaker"] if d["resolved"] else None, "words": d["text"]} for d in page["drafts"]
    ]
    _expectation(folder, page["name"]).write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
    output, scores = _run(folder, tmp_path, "--page", page["name"], "--check")
    assert "FAIL" not in output
    assert scores["totals"]["recall"] == 1 and scores["totals"]["precision"] == 1

    expected["statements"].append({"speaker": None, "words": NOT_ON_ANY_PAGE})
    _expectation(folder, page["name"]).write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="right-speaker recall"):
        _run(folder, tmp_path, "--page", page["name"], "--check")


@pytest.mark.django_db
def test_an_unknown_page_is_refused(tmp_path):
    with pytest.raises(CommandError, match="names 0 pages"):
        _run(_subset(tmp_path), tmp_path, "--page", "xx-99-nothing")
