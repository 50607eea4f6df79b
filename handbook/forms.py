from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from handbook.markdown import MAX_LINES, line_count
from handbook.models import NotificationPreferences
from household.text_rules import refuse_invisible_characters


def within_text_limit(value: str) -> None:
    """A page's text is at most HANDBOOK_MAX_TEXT_CHARS characters and MAX_LINES lines: one
    preview is bounded work (handbook/markdown.py says why)."""
    limit = settings.HANDBOOK_MAX_TEXT_CHARS
    if len(value) > limit:
        raise ValidationError(
            _("The text is too long: %(length)s characters, at most %(limit)s."),
            params={"length": len(value), "limit": limit},
            code="too_long",
        )
    if line_count(value) > MAX_LINES:
        raise ValidationError(
            _("The text has too many lines: %(lines)s, at most %(limit)s."),
            params={"lines": line_count(value), "limit": MAX_LINES},
            code="too_many_lines",
        )


class ProposalForm(forms.Form):
    """A change to a page: its summary is the proposal's own, the page's title stays unless
    "change the title" is ticked."""

    message = forms.CharField(
        label=_("What changes and why?"),
        max_length=300,
        validators=[refuse_invisible_characters],
        help_text=_("A short summary for the others, e.g. “Clearer rule for the dishes”."),
    )
    body = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true"}),
        strip=False,
        validators=[within_text_limit],
    )
    change_title = forms.BooleanField(label=_("Also change the page's title"), required=False)
    title = forms.CharField(
        label=_("New title of the page"),
        max_length=200,
        required=False,
        validators=[refuse_invisible_characters],
    )
    attachment = forms.FileField(
        label=_("Attach an image or a PDF"),
        required=False,
        help_text=_("JPEG, PNG, GIF, WebP or PDF. A link to it is added at the end of the text."),
    )

    def clean(self):
        data = super().clean()
        if data.get("change_title") and not (data.get("title") or "").strip():
            self.add_error("title", _("Write the new title, or untick “change the title”."))
        return data

    def proposal_fields(self) -> dict:
        """What the services take: the title only when it is deliberately changed."""
        data = self.cleaned_data
        fields = {"message": data["message"], "body": data["body"]}
        if data.get("change_title"):
            fields["title"] = data["title"]
        return fields


class NewPageProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, validators=[refuse_invisible_characters]
    )
    slug = forms.SlugField(
        label=_("Address"),
        max_length=100,
        help_text=_("Becomes /handbok/<address>/ – lowercase letters a–z, digits and hyphens."),
    )
    message = ProposalForm.base_fields["message"]
    body = ProposalForm.base_fields["body"]
    attachment = ProposalForm.base_fields["attachment"]

    def proposal_fields(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in ("title", "slug", "message", "body")}


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment (Markdown)"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "true"}),
    )


class NotificationPreferencesForm(forms.ModelForm):
    class Meta:
        model = NotificationPreferences
        fields = [
            "awaiting",
            "approved",
            "merged",
            "rejected",
            "commented",
            "watched",
            "daily_digest",
        ]
