"""Large news pages for the importer's cost (issue 15: "Import cost grows far faster than the page").

A page of a given size, in the shapes of tests/data/articles: a header (date, breadcrumb, news
code, publication date), a headline, then paragraphs of reported speech in Persian, English or
Arabic (speech verbs, quotes, names of officials and outlets, venues, topic words), with a few
paragraphs that repeat earlier words and a few without any statement, and the page furniture
after the text. As plain text or as saved HTML.

    python -m bench.large_pages OUTDIR [--sizes 0.25,0.5,1,1.99] [--languages fa,en,ar] [--speech-every N] [--seed]

writes OUTDIR/{fa,en,ar}_{SIZE}mb.{txt,html}. ``--seed`` also fills the database named by the
settings with the reference rows the test pages name (outlets, officials, topics), once.
"""

from __future__ import annotations

import argparse
import html
import itertools
import sys
from pathlib import Path

MB = 1024 * 1024

# Paragraph templates per language, each reporting one utterance; {n} makes every paragraph's
# words its own (no repeat).
_PARAGRAPHS = {
    "fa": [
        "به گزارش ایسنا، سید عباس عراقچی، وزیر امور خارجه، روز دوشنبه در نشست خبری با خبرنگاران گفت: "
        "مذاکرات غیرمستقیم با آمریکا در دور {n} از طریق عمان ادامه دارد و ما به دنبال لغو تحریم‌ها هستیم.",
        "وی افزود: هیچ مذاکره مستقیمی در کار نیست و تا زمانی که آمریکا به تعهدات خود در بند {n} بازنگردد، "
        "چنین مذاکره‌ای نخواهیم داشت.",
        "کمال خرازی، رئیس شورای راهبردی روابط خارجی، در گفت‌وگو با شبکه الجزیره تاکید کرد که ایران به "
        "حوثی‌ها دستور نمی‌دهد و آنها در دریای سرخ به صلاحدید خود عمل می‌کنند؛ این موضع شماره {n} است.",
        "در همین حال، ناصر کنعانی سخنگوی وزارت امور خارجه در نشست هفتگی خود گفت: «ایران از هر ابتکاری "
        "برای توقف جنگ غزه حمایت می‌کند و پیشنهاد {n} را بررسی خواهد کرد.»",
        "این دیپلمات ارشد همچنین تصریح کرد: گفت‌وگوها تنها در چارچوب منافع ملی ادامه خواهد یافت و برنامه "
        "هسته‌ای ایران کاملاً صلح‌آمیز است (نوبت {n}).",
        "به نقل از ایرنا، محمدجواد ظریف در سخنرانی خود در دانشگاه تهران اظهار داشت که روابط ایران و آمریکا "
        "در مرحله {n} به اراده طرف مقابل بستگی دارد.",
    ],
    "en": [
        "Iran's top diplomat Abbas Araqchi said on Monday that indirect talks with the United States were "
        "continuing through Oman in round {n}, according to Reuters.",
        '"There will be no direct negotiations until Washington returns to commitment {n}," Araqchi told '
        "reporters in Tehran.",
        "He added that Iran would not pressure the Houthis over their attacks on shipping in the Red Sea, "
        "the {n}th time he has said so.",
        "Jake Sullivan, the US national security adviser, said Washington was not engaged in direct talks "
        "with Tehran on item {n}.",
        "A senior Western diplomat, who asked not to be named, said the talks had made little progress "
        "since meeting {n} in March.",
        "In an interview with Al Jazeera, Kamal Kharrazi stressed that Iran's nuclear programme was peaceful "
        'and that "proposal {n} is on the table".',
    ],
    "ar": [
        "قال وزير الخارجية الإيراني عباس عراقجي، اليوم الاثنين، إن المحادثات غير المباشرة مع الولايات "
        "المتحدة مستمرة عبر سلطنة عمان في الجولة {n}، وذلك نقلا عن وكالة الأنباء الإيرانية الرسمية (إرنا).",
        'وأضاف عراقجي: "لن نتفاوض مباشرة ما لم تعد واشنطن إلى التزاماتها في البند {n} من الاتفاق النووي".',
        "وأكد أن إيران لن تضغط على الحوثيين لوقف عملياتهم في البحر الأحمر، معتبرا أن القرار {n} يعود إليهم.",
        "من جهته، قال المتحدث باسم الحكومة الإيرانية علي بهادري جهرمي في مؤتمر صحفي إن طهران ترحب "
        "بالوساطة الإقليمية رقم {n}.",
        "وفي مقابلة مع قناة الجزيرة، أوضح كمال خرازي أن البرنامج النووي الإيراني سلمي وأن المقترح {n} "
        "ما زال قائما.",
    ],
}
# Paragraphs that report no speech (no speech verb, no "according to"): the page's narrative.
_NARRATIVE = {
    "fa": [
        "گزارش‌ها حاکی است که هیئت ایرانی پس از دیدار {n} در مسقط به تهران بازگشت و جزئیات بیشتری منتشر نشد.",
        "دور {n} مذاکرات در حالی برگزار شد که قیمت نفت در بازارهای جهانی افزایش یافت و بازار ارز آرام بود.",
        "نشست {n} در ساختمان وزارت امور خارجه و با حضور هیئت‌هایی از کشورهای منطقه برگزار شد.",
    ],
    "en": [
        "The delegation returned to Tehran after session {n}, and no further details were released.",
        "Round {n} of the talks took place as oil prices rose on world markets and currency trading was calm.",
        "Meeting {n} was held at the foreign ministry building with delegations from across the region.",
    ],
    "ar": [
        "وعادت الوفود إلى طهران بعد الجلسة {n} دون الإعلان عن تفاصيل إضافية.",
        "وجرت الجولة {n} من المحادثات في وقت ارتفعت فيه أسعار النفط في الأسواق العالمية.",
        "وعقد الاجتماع {n} في مبنى وزارة الخارجية بحضور وفود من دول المنطقة.",
    ],
}
_HEADER = {
    "fa": (
        "سه شنبه ۲۵ اردیبهشت ۱۴۰۳\nصفحه اصلی > سیاست > دیپلماسی\nکد خبر: ۱۲۳۴۵۶\n"
        "تاریخ انتشار: ۱۴:۳۰ - ۲۴ اردیبهشت ۱۴۰۳\n\n"
        "عراقچی: مذاکرات غیرمستقیم با آمریکا از طریق عمان ادامه دارد\n\n"
    ),
    "en": (
        "Skip to main content\nWorld | Middle East | Business\n"
        "Iran says indirect talks with US continue through Oman\nBy Sara Ahmadi\n"
        "Published: 13 May 2024, 14:10 GMT+3:30\n\n"
    ),
    "ar": (
        "الرئيسية | أخبار | سياسة\nعراقجي: المحادثات غير المباشرة مع واشنطن مستمرة عبر سلطنة عمان\n"
        "تاريخ النشر: 13 مايو 2024 - 10:30\n\n"
    ),
}
_TAIL = {
    "fa": "\nانتهای پیام\nبرچسب ها: عراقچی ، مذاکرات غیرمستقیم ، عمان\nاخبار مرتبط\nسفر ظریف به نیویورک لغو شد\n",
    "en": "\nRelated news\nOil prices climb as Gulf tensions rise\nShare this article\n",
    "ar": "\nاقرأ أيضا\nإيران تعلن عن مناورات بحرية في الخليج\nشارك\n",
}
_TITLE = {
    "fa": "عراقچی: مذاکرات غیرمستقیم با آمریکا از طریق عمان ادامه دارد",
    "en": "Iran says indirect talks with US continue through Oman",
    "ar": "عراقجي: المحادثات غير المباشرة مع واشنطن مستمرة عبر سلطنة عمان",
}
# Every this many paragraphs, one repeats an earlier one word for word (a repeat, not a statement).
REPEAT_EVERY = 50


def labelled_paragraphs(language: str, size: int, *, speech_every: int = 1):
    """``(reports_speech, text)`` paragraphs of about ``size`` bytes (UTF-8) in total.

    One in ``speech_every`` reports speech (1, the worst case: every paragraph is a statement), the
    others are narrative; every REPEAT_EVERY-th paragraph repeats an earlier one word for word.
    """
    total = 0
    templates = itertools.cycle(_PARAGRAPHS[language])
    narrative = itertools.cycle(_NARRATIVE[language])
    produced: list[tuple[bool, str]] = []
    for n in itertools.count(1):
        if n % REPEAT_EVERY == 0 and produced:
            paragraph = produced[n // 3]
        elif speech_every > 1 and n % speech_every:
            paragraph = (False, next(narrative).format(n=n))
        else:
            paragraph = (True, next(templates).format(n=n))
        produced.append(paragraph)
        total += len(paragraph[1].encode("utf-8")) + 2
        yield paragraph
        if total >= size:
            return


def paragraphs(language: str, size: int, *, speech_every: int = 1):
    for _, text in labelled_paragraphs(language, size, speech_every=speech_every):
        yield text


def text_body(language: str, size: int, *, speech_every: int = 1) -> list[tuple[bool, str]]:
    """The paragraphs ``text_page`` prints for these arguments."""
    head, tail = _HEADER[language].encode(), _TAIL[language].encode()
    return list(labelled_paragraphs(language, size - len(head) - len(tail) - 4096, speech_every=speech_every))


def text_page(language: str, size: int, *, speech_every: int = 1) -> bytes:
    """A plain-text page (as copied from a browser) of at most ``size`` bytes."""
    head, tail = _HEADER[language].encode(), _TAIL[language].encode()
    body = "\n\n".join(text for _, text in text_body(language, size, speech_every=speech_every))
    return head + body.encode("utf-8") + b"\n" + tail


def html_page(language: str, size: int, *, speech_every: int = 1) -> bytes:
    """A saved HTML page (head, navigation, article, related news, comments) of at most ``size`` bytes."""
    direction = "ltr" if language == "en" else "rtl"
    head = (
        f'<!DOCTYPE html>\n<html lang="{language}" dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(_TITLE[language])} | News</title>\n"
        f'<meta property="og:title" content="{html.escape(_TITLE[language])}">\n'
        '<meta property="article:published_time" content="2024-05-15T11:20:00+03:30">\n'
        '<link rel="canonical" href="https://www.khabaronline.ir/news/1900001/large-page">\n'
        "<style>body { font-family: Vazir; }</style>\n"
        '<script>window.dataLayer = [{"page": "news"}];</script>\n</head>\n<body>\n'
        '<header><nav class="main-menu"><ul><li><a href="/">Home</a></li><li><a href="/p">Politics</a></li>'
        "</ul></nav></header>\n<main>\n<article class=\"news-item\">\n"
        f"<h1>{html.escape(_TITLE[language])}</h1>\n"
        '<div class="share-box"><a href="#">share</a></div>\n'
    ).encode()
    tail = (
        b'</article>\n<aside class="related-news"><h3>Related</h3><ul><li><a href="#">Oil prices climb</a></li>'
        b'</ul></aside>\n<form class="comment-form"><input name="captcha"></form>\n</main>\n'
        b"<footer><p>All rights reserved</p></footer>\n</body>\n</html>\n"
    )
    budget = size - len(head) - len(tail) - 4096
    # Markup takes about a fifth of a real page: paragraphs, a bold phrase, a link, an ad slot.
    pieces = []
    for number, text in enumerate(paragraphs(language, int(budget * 0.9), speech_every=speech_every)):
        escaped = html.escape(text)
        if number % 7 == 3:
            escaped = escaped.replace(" ", ' <a href="/tag/x">', 1) + "</a>"
        pieces.append(f'<p class="text">{escaped}</p>\n')
        if number % 25 == 24:
            pieces.append('<div class="ad"><script>ad()</script><span>Advertisement</span></div>\n')
    body = "".join(pieces).encode("utf-8")
    while len(head) + len(body) + len(tail) > size:
        body = body[: body.rfind(b"<p ", 0, len(body) - 1)]
    return head + body + tail


def seed_reference_data() -> None:
    """The outlets, officials and topics of the importer tests, in the configured database (once)."""
    from sources.models import Outlet
    from tests.sources.test_importers import create_reference_data

    if not Outlet.objects.filter(domain="khabaronline.ir").exists():
        create_reference_data()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--sizes", default="0.25,0.5,1,1.99", help="sizes in MB, comma-separated")
    parser.add_argument("--languages", default="fa,en,ar")
    parser.add_argument(
        "--speech-every", type=int, default=1, help="one paragraph in N reports speech (default 1: every one)"
    )
    parser.add_argument("--seed", action="store_true", help="also fill the database with the reference rows")
    options = parser.parse_args(argv)
    options.outdir.mkdir(parents=True, exist_ok=True)
    for language in options.languages.split(","):
        for size_mb in options.sizes.split(","):
            size = int(float(size_mb) * MB)
            for suffix, build in (("txt", text_page), ("html", html_page)):
                path = options.outdir / f"{language}_{size_mb}mb.{suffix}"
                path.write_bytes(build(language, size, speech_every=options.speech_every))
                print(f"{path}: {path.stat().st_size} bytes", file=sys.stderr)
    if options.seed:
        import django

        django.setup()
        seed_reference_data()


if __name__ == "__main__":
    main()
