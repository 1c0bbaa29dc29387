"""The timeline's layout: dates to coordinates, colours per organisation, spans and markers."""

from __future__ import annotations

from datetime import date

from app.web.gantt import MARGIN, PALETTE, WIDTH, MarkerIn, ProvisionIn, SpanIn, layout

D = date


def test_bars_follow_the_dates_and_keep_one_colour_per_organisation() -> None:
    provisions = [
        ProvisionIn("link", "Link050", "mjd", "Stichting MJD", D(2018, 1, 1), D(2022, 1, 1)),
        ProvisionIn("link", "Link050", "werkpro", "Stichting WerkPro", D(2022, 1, 1), None),
        ProvisionIn("jimmy", "Jimmy's", "mjd", "Stichting MJD", D(2018, 1, 1), D(2021, 6, 1)),
        ProvisionIn("jimmy", "Jimmy's", "werkpro", "Stichting WerkPro", D(2021, 9, 1), None),
    ]
    gaps = [SpanIn("jimmy", D(2021, 6, 1), D(2021, 9, 1), "gat")]
    guarantees = [SpanIn("link", D(2022, 1, 1), D(2025, 1, 1), "voor de komende jaren")]
    markers = [MarkerIn("link", D(2022, 1, 1), "Overdracht", "/overdrachten/x")]
    chart = layout(provisions, gaps, guarantees, markers, on=D(2022, 1, 1), today=D(2026, 11, 26))

    assert (chart.start, chart.end) == (D(2018, 1, 1), D(2028, 1, 1))
    assert [row.service for row in chart.rows] == ["Jimmy's", "Link050"]  # by name
    jimmy, link = chart.rows
    assert jimmy.y < link.y
    mjd, werkpro = link.bars
    assert mjd.x == MARGIN
    assert mjd.x + mjd.width == werkpro.x  # the switch is one point in time
    assert werkpro.x + werkpro.width == WIDTH - MARGIN  # open-ended: to the chart's end
    assert werkpro.open_ended
    assert not mjd.open_ended
    assert (mjd.colour, werkpro.colour) == (PALETTE[0], PALETTE[1])
    assert [b.colour for b in jimmy.bars] == [PALETTE[0], PALETTE[1]]
    assert chart.legend == [("Stichting MJD", PALETTE[0]), ("Stichting WerkPro", PALETTE[1])]
    (gap,) = jimmy.gaps
    assert gap.x == jimmy.bars[0].x + jimmy.bars[0].width
    assert gap.x + gap.width == jimmy.bars[1].x
    (guarantee,) = link.guarantees
    assert guarantee.x == werkpro.x
    (marker,) = link.markers
    assert marker.x == werkpro.x
    assert marker.href == "/overdrachten/x"
    assert chart.on_x == werkpro.x
    assert "1 januari 2018 – 1 januari 2022" in mjd.title


def test_a_long_name_in_a_short_bar_is_left_to_the_tooltip() -> None:
    provisions = [
        ProvisionIn("s", "Dienst", "a", "Een heel lange naam", D(2020, 1, 1), D(2020, 1, 20)),
        ProvisionIn("s", "Dienst", "b", "Kort", D(2020, 2, 1), None),
    ]
    chart = layout(provisions, [], [], [], on=D(2020, 6, 1), today=D(2020, 6, 1))
    short, long_ = chart.rows[0].bars
    assert short.label == ""
    assert "Een heel lange naam" in short.title
    assert long_.label == "Kort"


def test_an_empty_municipality_has_an_axis_and_no_rows() -> None:
    chart = layout([], [], [], [], on=D(2022, 1, 1), today=D(2022, 1, 1))
    assert chart.rows == []
    assert chart.ticks
    assert chart.on_x is not None
