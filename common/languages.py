"""Which of a record's names a page shows: its native (Persian) form on Persian pages."""

from django.utils import translation

# For each name attribute, the attributes that hold its native form, tried in this order.
NATIVE_FORMS = {
    "name": ("name_fa", "native_name", "name_native"),
    "display_name": ("native_name",),
    "label": ("label_native",),
}


def page_is_persian() -> bool:
    """Whether the page is being rendered in Persian."""
    return (translation.get_language() or "").startswith("fa")


def _read(item, attribute: str):
    return item.get(attribute) if isinstance(item, dict) else getattr(item, attribute, None)


def name_in_page_language(item, attribute: str = "name") -> str:
    """``item``'s ``attribute`` or, on a Persian page, its native form when one is recorded.

    ``item`` is a model instance, a facet or a row's dict of names (``{"display_name", "native_name"}``).
    """
    if item is None:
        return ""
    if page_is_persian():
        for native in NATIVE_FORMS.get(attribute, ()):
            if value := _read(item, native):
                return value
    return _read(item, attribute) or str(item)
