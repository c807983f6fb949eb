"""kpi/views/funnel_rows.py: what a manager reads about the funnel's benchmark rates."""

from django.utils import translation

from kpi.views.funnel_rows import benchmark_note


def test_benchmark_notes_name_their_source_in_words():
    with translation.override("en"):
        notes = [benchmark_note(step) for step in ("connect", "effective", "meeting", "qualified", "win")]
    assert not any("DESIGN" in note for note in notes)
    assert (
        notes[0]
        == notes[1]
        == ("published inside-sales call benchmark: about 50% of calls connect, 20% talk 2 minutes or more")
    )
    assert set(notes[2:]) == {"product default: no published figure for this step"}
