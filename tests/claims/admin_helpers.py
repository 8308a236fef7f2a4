"""Helpers for admin tests: submit an admin page the way a browser would, and count its queries."""

from html.parser import HTMLParser

from django.urls import reverse


class _FormFields(HTMLParser):
    """Collects the successful controls of the page's main form (inputs, selects, textareas)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._select_first: str | None = None
        self._option_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
                return
            self.data[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self.data[self._select] = value
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            # A browser submits the first option of a single select when none is marked selected
            # (autocomplete selects with no value have no option at all).
            if self._select not in self.data and self._select_first is not None:
                self.data[self._select] = self._select_first
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            self.data[self._textarea] = text[1:] if text.startswith("\n") else text
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_data(response) -> dict[str, str]:
    """What a browser would post back from an admin add/change page, untouched."""
    parser = _FormFields()
    parser.feed(response.content.decode())
    # Inline templates hold an empty "__prefix__" form for JavaScript; a browser's submission
    # only carries it if a script copied it.
    return {name: value for name, value in parser.data.items() if "__prefix__" not in name}


def admin_url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def post_admin_form(client, url, changes: dict[str, str]):
    """GET the page, change some fields, POST it back."""
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def add_inline_rows(data: dict[str, str], prefix: str, rows: list[dict[str, str]]) -> dict[str, str]:
    """Append new rows to an inline formset in posted data (what "Add another" does in the browser)."""
    start = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    for offset, row in enumerate(rows):
        for field, value in row.items():
            data[f"{prefix}-{start + offset}-{field}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))
    return data


def errors_of(response) -> str:
    """The error lists shown on an admin form page (for assertion messages)."""
    content = response.content.decode()
    return " | ".join(part.split("</ul>")[0] for part in content.split('class="errorlist')[1:])
