from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rent.text_rules import refuse_invisible_characters


def within_text_limit(value: str) -> None:
    """A page's text is at most HANDBOOK_MAX_TEXT_CHARS: one preview is bounded work."""
    limit = settings.HANDBOOK_MAX_TEXT_CHARS
    if len(value) > limit:
        raise ValidationError(
            _("The text is too long: %(length)s characters, at most %(limit)s."),
            params={"length": len(value), "limit": limit},
            code="too_long",
        )


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, validators=[refuse_invisible_characters]
    )
    body = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true"}),
        strip=False,
        validators=[within_text_limit],
    )
    message = forms.CharField(label=_("What changes and why?"), max_length=300, required=False)


class NewPageProposalForm(ProposalForm):
    slug = forms.SlugField(
        label=_("Address"),
        max_length=100,
        help_text=_("Becomes /handbok/<address>/ – lowercase letters a–z, digits and hyphens."),
    )
    field_order = ["title", "slug", "body", "message"]
