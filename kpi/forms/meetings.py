"""The FS meetings page: the list's filter (?status=open|all, ?mine=1, ?q=) and the outcome form of one meeting."""

from django import forms

from . import yen_field_clean


class MeetingFilterForm(forms.Form):
    status = forms.CharField(required=False)
    mine = forms.CharField(required=False)
    q = forms.CharField(required=False, max_length=100)

    def status_shown(self) -> str:
        """ "open" (the default: meetings still waiting for an outcome) or anything else for all."""
        self.is_valid()
        return self.cleaned_data.get("status") or "open"

    def mine_only(self) -> bool:
        """?mine=1: only the meetings the signed-in FS owns."""
        self.is_valid()
        return self.cleaned_data.get("mine") == "1"

    def search(self) -> str:
        """?q=: words to find in the lead's company, its id, the IS rep or the hand-over note."""
        self.is_valid()
        return (self.cleaned_data.get("q") or "").strip()


class OutcomeForm(forms.Form):
    meeting = forms.CharField(required=False)
    status = forms.CharField(required=False)
    amount = forms.CharField(required=False)

    def meeting_id(self) -> int:
        """The meeting's id; 0 (no meeting: a 404) when the box is not a number."""
        raw = self.data.get("meeting", "")
        return int(raw) if raw.isdecimal() else 0

    def clean_amount(self) -> int | None:
        """Yen, as FS types them: 1,200,000 or 1200000; empty is no amount."""
        return yen_field_clean(self.cleaned_data["amount"])
