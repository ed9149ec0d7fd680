"""Render the summary chart of a made-up county to ``docs/summary-chart.png``.

The example has several Chinese-named sub-units, the county's own rows, a rate of zero, rates
with no data and open overdue notices, so one picture shows how each case is drawn. Re-run
it after changing ``handlers/summary/chart.py`` and look at the picture:

    .venv/bin/python -m bench.render_chart_example [--lang zh_CN|en] [--out PATH]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from handlers.core.domain import Unit, UnitLevel
from handlers.core.i18n import translator
from handlers.summary.chart import render_chart
from handlers.summary.domain import Figures, Part, Summary
from handlers.summary.period import year_period

OUT = Path(__file__).parents[1] / "docs" / "summary-chart.png"


def example_summary() -> Summary:
    """A county with its own rows and five towns (one zero rate, some rates without data)."""
    county = Unit(10, "QF", "清丰县", UnitLevel.COUNTY, 1, "/1/10/")

    def town(i: int, name: str) -> Unit:
        return Unit(10 + i, f"QF{i}", name, UnitLevel.TOWNSHIP, 10, f"/1/10/{10 + i}/")

    parts = (
        Part(county, True, Figures(
            units_excellent=1, units_passed=2, checkins_on_time=9, checkins_late=1,
            notices_closed_on_time=3, notices_closed_late=1, notices_overdue=1,
            appraisal_excellent=4, appraisal_passed=5, appraisal_failed=1,
            reminders_sent=12, reminders_acked=10, quiz_eligible=10, quiz_takers=8,
        )),
        Part(town(1, "城关镇"), False, Figures(
            units_excellent=1, units_passed=1, units_failed=1, checkins_on_time=5,
            checkins_missing=1, notices_closed_on_time=2, notices_overdue=1,
            appraisal_excellent=2, appraisal_passed=3, reminders_sent=6, reminders_acked=6,
            quiz_eligible=6, quiz_takers=6,
        )),
        Part(town(2, "马庄桥镇"), False, Figures(
            units_passed=2, checkins_on_time=0, checkins_late=2, checkins_missing=2,
            notices_closed_late=2, appraisal_passed=3, appraisal_failed=1,
            reminders_sent=5, reminders_acked=2, quiz_eligible=4, quiz_takers=1,
        )),
        Part(town(3, "瓦屋头镇"), False, Figures(
            units_excellent=1, units_passed=1, checkins_on_time=3, checkins_late=1,
            appraisal_excellent=1, appraisal_passed=2, quiz_eligible=3,
        )),
        Part(town(4, "仙庄镇"), False, Figures(
            units_passed=1, units_failed=1, checkins_on_time=4, notices_closed_on_time=1,
            notices_open=2, reminders_sent=3, reminders_acked=3, quiz_eligible=5, quiz_takers=4,
        )),
        Part(town(5, "阳邵乡人民政府驻县城办事处"), False, Figures(
            units_excellent=1, checkins_on_time=2, checkins_missing=1, notices_overdue=2,
            appraisal_passed=2, reminders_sent=2, reminders_acked=1,
        )),
    )  # fmt: skip
    total = Figures()
    for part in parts:
        total = total + part.figures
    return Summary(county, year_period(2026), total, parts, kinds=())


def main() -> None:
    """Write the example chart as PNG."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="zh_CN", choices=["zh_CN", "en"])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    png = render_chart(translator(args.lang), example_summary())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(png)
    print(f"{args.out}: {len(png)} bytes")


if __name__ == "__main__":
    main()
