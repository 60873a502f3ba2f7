"""Issue 22, what needs attention: `jctui check --attention` lists it for cron and mail
(exit 3 when there is something), from one function the dashboard can use as well
(jctui.presentation.attention.attention_items)."""

from __future__ import annotations

import datetime as dt

import pytest

from jctui.cli import main
from jctui.presentation.attention import attention_items, upper_third

OFFENBACH = "Kreis Offenbach"
LABELS = {"integrations": "Integrations", "k2": "Integration rate (K2)"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def test_a_target_newly_off_track_is_listed_with_exit_3(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Kreis Offenbach's integrations: on track by the projection in July 2018, off track
    in August."""
    code, out = run(capsys, "check", "--attention", OFFENBACH, "--at", "2018-08", "--lang", "en")
    assert code == 3
    lines = out.splitlines()
    assert lines[0] == "Needs attention: Kreis Offenbach (06438), August 2018"
    assert "** Demo data, synthetic figures **" in lines
    assert "  off_track: Integrations: target newly off track by its projection" in lines
    code, out = run(capsys, "check", "--attention", OFFENBACH, "--at", "2018-09", "--lang", "en")
    assert "newly off track" not in out  # still off track: not new


def test_new_month_and_overdue_data_in_german(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "check", "--attention", OFFENBACH, "--since", "2018-09", "--lang", "de")
    assert code == 3
    assert "  new_month: neuer Monat veröffentlicht: Oktober 2018" in out
    assert "  overdue: Daten überfällig: der letzte Monat ist Oktober 2018" in out  # today: 2026
    code, out = run(capsys, "check", "--attention", OFFENBACH, "--since", "2018-10")
    assert "new_month" not in out


def test_a_bad_since_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--attention", OFFENBACH, "--since", "Sept"]) == 2
    assert "--since: expected a month as YYYY-MM" in capsys.readouterr().err


def entry(**fields: object) -> dict[str, object]:
    return {"kind": "flow", "withheld": [], **fields}


def test_rank_out_of_the_upper_third_revisions_and_withheld() -> None:
    before = {"metrics": {"integrations": entry(group_rank=9, group_rank_of=29,
                                                 on_track=True)}, "rates": {}}  # fmt: skip
    now = {
        "metrics": {
            "integrations": entry(
                group_rank=11, group_rank_of=29, on_track=True, withheld=["value"]
            )
        },
        "rates": {},
        "warnings": [
            {
                "kind": "revision",
                "metric": "integrations",
                "period": "2018-02",
                "message": "revised: 1,013 -> 4,321",
            }
        ],
    }
    items = attention_items(
        now, before, LABELS, "en",
        latest=dt.date(2018, 10, 1), today=dt.date(2018, 11, 20), overdue_months=3,
    )  # fmt: skip
    assert [i.kind for i in items] == ["rank_fell", "withheld", "revision"]
    assert items[0].text == (
        "Integrations: rank in the comparison type 11/29 (was 9/29), out of the upper third"
    )
    assert items[2].text == "revised: 2018-02 Integrations: revised: 1,013 -> 4,321"


def test_nothing_to_look_at_is_nothing() -> None:
    now = {"metrics": {"integrations": entry(group_rank=3, group_rank_of=29, on_track=True)}}
    items = attention_items(
        now, now, LABELS, "de",
        latest=dt.date(2018, 10, 1), today=dt.date(2018, 11, 20), overdue_months=3,
        since=dt.date(2018, 10, 1),
    )  # fmt: skip
    assert items == ()
    assert upper_third(10, 29) is True
    assert upper_third(11, 29) is False
    assert upper_third(None, 29) is None
