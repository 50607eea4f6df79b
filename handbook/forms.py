from django import forms


class ProposalForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=200)
    body = forms.CharField(
        label="Text (Markdown)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true"}),
        strip=False,
    )
    message = forms.CharField(label="Vad ändras och varför?", max_length=300, required=False)


class NewPageProposalForm(ProposalForm):
    slug = forms.SlugField(
        label="Adress",
        max_length=100,
        help_text="Blir /handbok/<adress>/ – små bokstäver a–z, siffror och bindestreck.",
    )
    field_order = ["title", "slug", "body", "message"]
