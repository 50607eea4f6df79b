from django import forms
from django.utils.translation import gettext_lazy as _


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true"}),
        strip=False,
    )
    message = forms.CharField(label=_("What changes and why?"), max_length=300, required=False)


class NewPageProposalForm(ProposalForm):
    slug = forms.SlugField(
        label=_("Address"),
        max_length=100,
        help_text=_("Becomes /handbok/<address>/ – lowercase letters a–z, digits and hyphens."),
    )
    field_order = ["title", "slug", "body", "message"]
