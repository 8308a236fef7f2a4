"""Admin forms for curators: rules that need another row (or a folded form) to check, stated as form
errors instead of reaching the database as an IntegrityError."""

import re

from django import forms
from django.contrib.postgres.forms import SimpleArrayField
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from claims.models import (
    Citation,
    ClaimParty,
    ClaimRelation,
    ClaimTopic,
    OfficialAlias,
    Organization,
    StatementTopic,
    Topic,
)
from sources.forms import FoldedAliasForm, FoldedAliasFormSet

MESSAGE_OFFSET_OUTSIDE_BODY = _(
    "The end offset %(end)s lies outside the article body, which has %(length)s characters."
)
MESSAGE_OFFSETS_ORDER = _("The end offset must come after the start offset.")
MESSAGE_QUOTE_MISMATCH = _(
    "The quote differs from the article body at %(start)s–%(end)s, which reads “%(span)s”. "
    "Correct the offsets, or leave them empty to locate the quote."
)
MESSAGE_QUOTE_NOT_FOUND = _("This quote does not occur in the article body; give its offsets instead.")
MESSAGE_OFFSETS_NEEDED = _("Give the quote, or its start and end offsets in the article body.")
MESSAGE_SELF_RELATION = _("A claim cannot be related to itself.")
MESSAGE_RELATION_EXISTS = _("These two claims are already related this way.")
MESSAGE_PARENT_CYCLE = _("“%(parent)s” lies under this one: choosing it as parent would make a loop.")

# Keywords may be separated by commas (Latin or Persian) or semicolons (Latin or Arabic) or lines.
_KEYWORD_SEPARATORS = re.compile(r"[,،;؛\n]+")


class OfficialAliasForm(FoldedAliasForm):
    owner_field = "official"

    class Meta:
        model = OfficialAlias
        fields = ["official", "name", "language"]


class OfficialAliasFormSet(FoldedAliasFormSet):
    """Aliases on the official's page: عراقچی and عراقچي are one alias."""


class CitationForm(forms.ModelForm):
    """A quote in an article: the offsets must lie inside the body, and the quote is checked against it.

    Offsets may be left empty: the first occurrence of the quote in the body is then used. The
    ``verified`` flag is set here, from the comparison, never typed.
    """

    start_offset = forms.IntegerField(label=_("start offset"), min_value=0, required=False,
                                      widget=forms.NumberInput(attrs={"class": "vIntegerField"}))
    end_offset = forms.IntegerField(label=_("end offset"), min_value=0, required=False,
                                    widget=forms.NumberInput(attrs={"class": "vIntegerField"}))
    quote = forms.CharField(label=_("quote as printed"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2, "cols": 36, "dir": "auto"}))

    _LOCATING_FIELDS = {"article", "quote", "start_offset", "end_offset"}

    class Meta:
        model = Citation
        fields = ["statement", "article", "quote", "start_offset", "end_offset", "role"]

    def _article(self):
        article = self.cleaned_data.get("article")
        if article is None and self.instance.article_id:
            article = self.instance.article
        return article

    def clean(self):
        cleaned_data = super().clean()
        article = self._article()
        if article is None or not article.body:
            return cleaned_data
        body = article.body
        quote = cleaned_data.get("quote") or ""
        start, end = cleaned_data.get("start_offset"), cleaned_data.get("end_offset")
        if start is None and end is None:
            if not quote:
                raise ValidationError(MESSAGE_OFFSETS_NEEDED, code="offsets_needed")
            start = body.find(quote)
            if start < 0:
                self.add_error("quote", ValidationError(MESSAGE_QUOTE_NOT_FOUND, code="quote_not_found"))
                return cleaned_data
            end = start + len(quote)
        elif start is None or end is None:
            raise ValidationError(MESSAGE_OFFSETS_NEEDED, code="offsets_needed")
        if end <= start:
            self.add_error("end_offset", ValidationError(MESSAGE_OFFSETS_ORDER, code="offsets_order"))
            return cleaned_data
        if end > len(body):
            self.add_error("end_offset", ValidationError(MESSAGE_OFFSET_OUTSIDE_BODY, code="outside_body",
                                                         params={"end": end, "length": len(body)}))
            return cleaned_data
        span = body[start:end]
        if not quote:
            quote = span
        elif quote != span and set(self.changed_data) & self._LOCATING_FIELDS:
            self.add_error("quote", ValidationError(MESSAGE_QUOTE_MISMATCH, code="quote_mismatch",
                                                    params={"start": start, "end": end, "span": span[:200]}))
            return cleaned_data
        cleaned_data.update(quote=quote, start_offset=start, end_offset=end)
        # A stored citation that no longer matches (an imported paraphrase, an edited body) stays
        # editable, marked unverified; a curator who types a quote or offsets must make them agree.
        self.instance.verified = quote == span
        return cleaned_data


class ClaimRelationForm(forms.ModelForm):
    """A typed link between two claims; also used inline on the first claim's page."""

    class Meta:
        model = ClaimRelation
        fields = ["from_claim", "kind", "to_claim", "note"]

    def clean(self):
        cleaned_data = super().clean()
        # Inline, the first claim is the page's claim: Django leaves it out of model validation,
        # so the database's CHECK and UNIQUE constraints would only speak as an error page.
        from_claim_id = getattr(cleaned_data.get("from_claim"), "pk", None) or self.instance.from_claim_id
        to_claim = cleaned_data.get("to_claim")
        kind = cleaned_data.get("kind")
        if from_claim_id is None or to_claim is None:
            return cleaned_data
        if from_claim_id == to_claim.pk:
            self.add_error("to_claim", ValidationError(MESSAGE_SELF_RELATION, code="self_relation"))
        elif kind and (
            ClaimRelation.objects.filter(from_claim_id=from_claim_id, to_claim=to_claim, kind=kind)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("to_claim", ValidationError(MESSAGE_RELATION_EXISTS, code="relation_exists"))
        return cleaned_data


class ParentNotDescendantMixin:
    """For trees (topics, organisations): a node's parent cannot lie under the node itself."""

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is None or self.instance.pk is None:
            return parent
        node, seen = parent, set()
        # Walk up from the proposed parent; trees here are a few levels deep.
        while node is not None and node.pk not in seen:
            if node.pk == self.instance.pk:
                raise ValidationError(MESSAGE_PARENT_CYCLE, code="parent_cycle", params={"parent": parent})
            seen.add(node.pk)
            node = node.parent
        return parent


class KeywordsField(SimpleArrayField):
    """Keywords typed in any script, separated by Latin or Persian commas, semicolons or lines."""

    def __init__(self, **kwargs):
        kwargs.pop("delimiter", None)
        super().__init__(forms.CharField(max_length=200), delimiter=",", **kwargs)
        self.widget = forms.Textarea(attrs={"rows": 3, "cols": 60, "dir": "auto"})

    def to_python(self, value):
        if isinstance(value, list):
            return value
        items = [item.strip() for item in _KEYWORD_SEPARATORS.split(value or "")]
        return super().to_python(",".join(item for item in items if item))

    def prepare_value(self, value):
        if isinstance(value, list):
            return "، ".join(value) if any(_is_persian(item) for item in value) else ", ".join(value)
        return value


def _is_persian(text: str) -> bool:
    return any("\u0600" <= char <= "\u06ff" for char in text)


class TopicForm(ParentNotDescendantMixin, forms.ModelForm):
    keywords = KeywordsField(label=_("keywords and aliases"), required=False,
                             help_text=_("Words in any language that suggest this topic, separated by commas."))

    class Meta:
        model = Topic
        fields = ["name", "name_fa", "name_ar", "slug", "parent", "keywords", "description"]


class OrganizationForm(ParentNotDescendantMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "name_native", "acronym", "kind", "country", "parent"]


# The link tables' foreign keys carry no verbose names (they would need a migration); their forms
# give the columns translatable labels.


class StatementTopicForm(forms.ModelForm):
    class Meta:
        model = StatementTopic
        fields = ["statement", "topic"]
        labels = {"statement": _("statement"), "topic": _("topic")}


class ClaimTopicForm(forms.ModelForm):
    class Meta:
        model = ClaimTopic
        fields = ["claim", "topic"]
        labels = {"claim": _("claim"), "topic": _("topic")}


class ClaimPartyForm(forms.ModelForm):
    class Meta:
        model = ClaimParty
        fields = ["claim", "organization"]
        labels = {"claim": _("claim"), "organization": _("organisation")}


class StatementsTopicForm(forms.Form):
    """The topic to add to the statements selected in the changelist."""

    topic = forms.ModelChoiceField(label=_("topic"), queryset=Topic.objects.order_by("name"))
