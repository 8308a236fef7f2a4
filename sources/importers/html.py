"""Saved HTML pages to plain lines: what a reader sees, never markup.

The standard library's tokenizer is enough: we do not need a DOM, only the visible text in
reading order, cut into lines at block elements, with two facts per line that the page parser
uses (whether the whole line is bold, which marks interview questions, and whether it is the
main heading), plus the page's metadata (canonical URL, site name, published time).

Scripts, styles and other non-text elements are dropped with their content; so are containers
that are furniture by their tag (nav, footer, aside, form) or by their class/id (share, related,
comments, breadcrumb, ...). The result is plain text: no tag, attribute or entity survives.
"""

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from common.text import fold
from sources.importers.text import Line

_HTML_HINT = re.compile(
    r"<(?:!doctype\s+html|html|head|body|p|div|br|h[1-6]|article|span|script|style|strong|b|a|li|section|meta|title)"
    r"[\s>/]",
    re.IGNORECASE,
)
# Content of these elements is never text a reader sees.
_DROPPED = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "object",
    "embed",
    "canvas",
    "select",
    "button",
    "textarea",
    "head",
    "video",
    "audio",
    "map",
    "math",
}
# Page furniture by element.
_FURNITURE_TAGS = {"nav", "footer", "aside", "form", "dialog", "menu"}
# Page furniture by a word in the class or id attribute.
_FURNITURE_WORDS = {
    "share",
    "sharing",
    "social",
    "related",
    "relatedposts",
    "comment",
    "comments",
    "breadcrumb",
    "breadcrumbs",
    "menu",
    "navbar",
    "nav",
    "footer",
    "sidebar",
    "advert",
    "advertisement",
    "ads",
    "ad",
    "banner",
    "tags",
    "tag",
    "newsletter",
    "popular",
    "mostread",
    "captcha",
    "promo",
    "subscribe",
    "cookie",
    "cookies",
    "print",
    "toolbar",
    "widget",
    "headlines",
    "ticker",
}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "tr",
    "table",
    "dd",
    "dt",
    "dl",
    "figure",
    "figcaption",
    "address",
    "hr",
    "br",
    "caption",
    "td",
    "th",
    "tbody",
    "thead",
}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_BOLD = {"strong", "b"}
_SPACE_RUN = re.compile(r"[ \t\n\r\f\v]+")


def looks_like_html(text: str) -> bool:
    """Two or more tags of the kinds pages are made of: a page or a pasted fragment."""
    return len(_HTML_HINT.findall(text[:200_000])) >= 2


@dataclass
class HtmlPage:
    lines: list[Line]
    title: str = ""
    heading: str = ""
    canonical_url: str = ""
    site_name: str = ""
    published_time: str = ""
    modified_time: str = ""
    description: str = ""
    meta: dict = field(default_factory=dict)


# Furniture words that are unambiguous even inside a longer class name ("news-related-box",
# "mostvisited", "social-share").
_FURNITURE_PARTS = (
    "related",
    "share",
    "sharing",
    "comment",
    "breadcrumb",
    "sidebar",
    "navbar",
    "advert",
    "banner",
    "newsletter",
    "captcha",
    "popular",
    "trending",
    "mostvisited",
    "most-visited",
    "most-viewed",
    "mostviewed",
    "most-read",
    "mostread",
    "footer",
    "social",
    "subscribe",
    "cookie",
)


_CONTENT_PARTS = ("body", "content", "text", "story", "article", "entry", "lead", "main")


def _is_furniture_container(attrs: dict) -> bool:
    if _class_words(attrs) & _FURNITURE_WORDS:
        return True
    joined = " ".join((attrs.get(name) or "").lower() for name in ("class", "id"))
    if any(part in joined for part in _CONTENT_PARTS):
        # "article-body share-enabled": the text itself, whatever else its class says.
        return False
    return any(part in joined for part in _FURNITURE_PARTS)


def _class_words(attrs: dict) -> set[str]:
    words = set()
    for name in ("class", "id", "role"):
        value = (attrs.get(name) or "").lower()
        words.update(w for w in re.split(r"[\s_\-]+", value) if w)
    return words


class _Extractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self._buffer: list[tuple[str, bool]] = []  # (text, bold)
        self._stack: list[tuple[str, bool]] = []  # (tag, starts a skipped region)
        self._skip_depth = 0
        self._bold_depth = 0
        self._heading_depth = 0
        self._heading_level = 0
        self._article_depth = 0
        self._article_index = -1
        self._articles = 0
        self._pre_depth = 0
        self.title_parts: list[str] = []
        self._in_title = False
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.time_datetimes: list[str] = []
        self.linked_data: list[str] = []
        self._in_linked_data = False

    # -- structure ---------------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        attributes = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (attributes.get("property") or attributes.get("name") or attributes.get("itemprop") or "").lower()
            if key and attributes.get("content"):
                self.meta.setdefault(key, attributes["content"].strip())
            return
        if tag == "link":
            if "canonical" in attributes.get("rel", "").lower() and attributes.get("href"):
                self.canonical = self.canonical or attributes["href"].strip()
            return
        if tag == "title":
            self._in_title = True
        if tag == "script" and "ld+json" in attributes.get("type", "").lower():
            self._in_linked_data = True
            self.linked_data.append("")
        if tag == "time" and attributes.get("datetime") and not self._skip_depth:
            self.time_datetimes.append(attributes["datetime"].strip())
        if tag in _VOID:
            if tag in ("br", "hr") and not self._skip_depth:
                self._flush()
            return
        starts_skip = False
        if tag != "title" and (
            tag in _DROPPED
            or tag in _FURNITURE_TAGS
            or (_is_furniture_container(attributes) and tag not in ("body", "html", "article", "main"))
            or "hidden" in attributes
            or attributes.get("aria-hidden") == "true"
        ):
            starts_skip = True
            self._skip_depth += 1
        if tag in _BLOCK and not self._skip_depth:
            self._flush()
        self._stack.append((tag, starts_skip))
        if self._skip_depth:
            return
        if tag in _BOLD:
            self._bold_depth += 1
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading_depth += 1
            self._heading_level = int(tag[1])
        if tag == "article":
            if not self._article_depth:
                self._article_index = self._articles
                self._articles += 1
            self._article_depth += 1
        if tag == "pre":
            self._pre_depth += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "script":
            self._in_linked_data = False
        if tag in _VOID:
            return
        # Close up to the matching open tag; browsers forgive missing end tags, so do we.
        if not any(open_tag == tag for open_tag, _ in self._stack):
            return
        while self._stack:
            open_tag, starts_skip = self._stack.pop()
            self._close(open_tag, starts_skip)
            if open_tag == tag:
                break

    def _close(self, tag, starts_skip):
        if starts_skip:
            self._skip_depth -= 1
            return
        if self._skip_depth:
            return
        if tag in _BLOCK:
            self._flush()
        if tag in _BOLD:
            self._bold_depth -= 1
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._flush()
            self._heading_depth -= 1
        if tag == "article":
            self._article_depth -= 1
        if tag == "pre":
            self._pre_depth -= 1

    def handle_data(self, data):
        if self._in_linked_data:
            self.linked_data[-1] += data
            return
        if self._in_title:
            self.title_parts.append(data)
            return
        if self._skip_depth:
            return
        if not self._pre_depth:
            data = _SPACE_RUN.sub(" ", data)
            self._buffer.append((data, self._bold_depth > 0))
        else:
            for number, piece in enumerate(data.split("\n")):
                if number:
                    self._flush()
                self._buffer.append((piece, self._bold_depth > 0))

    def _flush(self):
        if not self._buffer:
            return
        text = "".join(piece for piece, _ in self._buffer)
        visible = [(piece, bold) for piece, bold in self._buffer if piece.strip()]
        bold = bool(visible) and all(bold for _, bold in visible)
        self._buffer = []
        text = text.strip(" \t\n\r")
        if not text.strip():
            return
        self.lines.append(
            Line(
                text=text,
                bold=bold,
                heading=self._heading_level if self._heading_depth else 0,
                container=self._article_index if self._article_depth else -1,
            )
        )

    def close(self):
        super().close()
        self._flush()


_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting", "webpage"}


def _linked_article(blocks: list[str]) -> dict:
    """The first schema.org article in the page's JSON-LD blocks (headline, dates, publisher)."""
    for block in blocks:
        try:
            data = json.loads(block)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                kinds = item.get("@type", "")
                kinds = kinds if isinstance(kinds, list) else [kinds]
                if any(str(kind).lower() in _ARTICLE_TYPES for kind in kinds) and (
                    item.get("datePublished") or item.get("headline")
                ):
                    return item
                stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
    return {}


def _text_of(value) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("@id") or "")
    if isinstance(value, list):
        return _text_of(value[0]) if value else ""
    return str(value or "")


def extract_html(html: str) -> HtmlPage:
    """Visible text lines of a page in reading order, and its metadata."""
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    meta = parser.meta
    linked = _linked_article(parser.linked_data)
    page_title = meta.get("og:title", "") or _SPACE_RUN.sub(" ", "".join(parser.title_parts)).strip()
    headings = [line.text for line in parser.lines if line.heading == 1]
    # Some sites put their logo in an <h1>: the article's heading is the one the page's title repeats.
    heading = next((h for h in headings if page_title and fold(h) and fold(h) in fold(page_title)), "")
    if not heading and headings and not page_title:
        heading = headings[0]
    return HtmlPage(
        lines=parser.lines,
        title=_SPACE_RUN.sub(" ", "".join(parser.title_parts)).strip() or _text_of(linked.get("headline")),
        heading=heading,
        canonical_url=parser.canonical
        or meta.get("og:url", "")
        or _text_of(linked.get("url") or linked.get("mainEntityOfPage")),
        site_name=meta.get("og:site_name", "") or _text_of(linked.get("publisher")),
        published_time=(
            meta.get("article:published_time")
            or meta.get("datepublished")
            or meta.get("pubdate")
            or meta.get("date")
            or _text_of(linked.get("datePublished"))
            or (parser.time_datetimes[0] if parser.time_datetimes else "")
        ),
        modified_time=meta.get("article:modified_time") or meta.get("datemodified") or "",
        description=meta.get("og:description") or meta.get("description", ""),
        meta=meta,
    )
