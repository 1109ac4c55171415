"""The comparison of several cases: ``comparison.json`` and ``comparison.pdf``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from reportlab.platypus import Flowable, PageBreak

from gridimpact import __version__
from gridimpact.report.figures import plot_load_duration, plot_need_vs_capacity
from gridimpact.report.labels import HEADLINE_LABELS, label
from gridimpact.report.narrative import mitigation_lines
from gridimpact.report.output import write_json
from gridimpact.report.pdfdoc import CONTENT_WIDTH, ReportDoc, figure, fmt, para, table

COMPARISON_SCHEMA_VERSION = "1.0"


def ratio(a: Any, b: Any) -> float | None:
    """``b / a`` for numbers (rounded to 2 decimals), ``None`` otherwise."""
    if isinstance(a, bool) or isinstance(b, bool):
        return None
    if isinstance(a, int | float) and isinstance(b, int | float) and a != 0:
        return round(float(b) / float(a), 2)
    return None


def comparison_document(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Side-by-side headline values; ratios are last case / first case."""
    keys = [k for k in HEADLINE_LABELS if all(k in d["headline"] for d in docs)]
    rows = []
    for key in keys:
        values = [d["headline"][key] for d in docs]
        rows.append(
            {"key": key, "values": values, "ratio_last_to_first": ratio(values[0], values[-1])}
        )
    return {
        "schema_version": COMPARISON_SCHEMA_VERSION,
        "tool_version": __version__,
        "cases": [
            {
                "name": d["case"]["name"],
                "title": d["case"]["title"],
                "file_sha256": d["case"]["file_sha256"],
            }
            for d in docs
        ],
        "rows": rows,
    }


def comparison_sentences(comp: dict[str, Any]) -> list[str]:
    """Plain-language summary of what changes between the first and last case."""
    by_key = {r["key"]: r for r in comp["rows"]}
    first, last = comp["cases"][0]["name"], comp["cases"][-1]["name"]
    out = []
    if "facility_peak_mw" in by_key:
        r = by_key["facility_peak_mw"]
        out.append(
            f"The facility peak grows from {r['values'][0]} MW ({first}) to "
            f"{r['values'][-1]} MW ({last}), {r['ratio_last_to_first']} times as much."
        )
    if "share_of_utility_peak_percent" in by_key:
        r = by_key["share_of_utility_peak_percent"]
        out.append(
            f"As a share of the utility's summer peak: {r['values'][0]} % against "
            f"{r['values'][-1]} %."
        )
    if "max_branch_loading_percent_n0" in by_key and "n0_violation_count" in by_key:
        r = by_key["max_branch_loading_percent_n0"]
        v = by_key["n0_violation_count"]
        out.append(
            f"At summer peak the most loaded branch goes from {r['values'][0]} % to "
            f"{r['values'][-1]} % of its rating, and N-0 violations from "
            f"{v['values'][0]} to {v['values'][-1]}."
        )

    def pair(key: str) -> tuple[Any, Any] | None:
        r = by_key.get(key)
        return (r["values"][0], r["values"][-1]) if r else None

    need, host = pair("facility_peak_mw"), pair("hosting_capacity_n1_mw")
    if need and host:
        out.append(
            f"Under N-1 the point of interconnection of {first} can host {host[0]} MW for a "
            f"need of {need[0]} MW; that of {last} can host {host[1]} MW for a need of "
            f"{need[1]} MW."
        )
    n1 = pair("attributable_violation_count_n1")
    if n1:
        out.append(f"N-1 violations attributable to the campus: {n1[0]} against {n1[1]}.")
    scr = pair("scr_min_case")
    if scr:
        strength = pair("grid_strength") or ("", "")
        out.append(
            f"Minimum-case short-circuit ratio at the requested POI: {scr[0]} ({strength[0]}) "
            f"against {scr[1]} ({strength[1]})."
        )
    rec = pair("recommended_interconnection_description")
    if rec:
        out.append(f"Recommended interconnection: {first}: {rec[0]}; {last}: {rec[1]}.")
    water = pair("water_makeup_avg_mgd")
    if water:
        out.append(
            f"Cooling water: {water[0]} MGD against {water[1]} MGD on average "
            f"(cooling {by_key['cooling_architecture']['values'][0]} against "
            f"{by_key['cooling_architecture']['values'][-1]})."
        )
    pst = pair("pst_poi_recommended")
    limit = pair("pst_limit_allocated_recommended")
    if pst and limit and None not in pst:
        out.append(
            f"Flicker at the recommended interconnection (IEC 61000-4-15): Pst {pst[0]} against "
            f"{pst[1]}, with allocated limits of {limit[0]} and {limit[1]}."
        )
    swing = pair("swing_peak_to_peak_mw")
    bess = pair("bess_power_mw_required_recommended") or pair("bess_power_mw_required")
    if swing and bess and None not in bess:
        out.append(
            f"Training swings: {swing[0]} MW against {swing[1]} MW peak to peak; battery "
            f"power needed to meet the flicker limits allocated to the campus at the "
            f"recommended interconnection: {bess[0]} MW against {bess[1]} MW."
        )
    return out


def _build_list(docs: list[dict[str, Any]]) -> list[str]:
    out = []
    for d in docs:
        out.append(f"{d['case']['name']}: " + " ".join(mitigation_lines(d)))
    return out


def write_comparison(docs: list[dict[str, Any]], hourly: list[pd.Series], folder: Path) -> None:
    """Write ``comparison.json``, ``comparison.pdf`` and its figure into ``folder``."""
    comp = comparison_document(docs)
    write_json(comp, folder / "comparison.json")
    figs = folder / "figures"
    figs.mkdir(parents=True, exist_ok=True)
    ldc = figs / "comparison_load_duration_curves.png"
    plot_load_duration(
        list(zip([c["name"] for c in comp["cases"]], hourly, strict=True)),
        str(ldc),
        title="Facility load duration curves",
    )

    need = figs / "comparison_need_vs_hosting_capacity.png"
    heads = [d["headline"] for d in docs]
    plot_need_vs_capacity(
        [c["name"] for c in comp["cases"]],
        [h["facility_peak_mw"] for h in heads],
        [h["hosting_capacity_n1_mw"] for h in heads],
        [h["hosting_capacity_n0_mw"] for h in heads],
        str(need),
    )
    w = CONTENT_WIDTH
    names = [c["name"] for c in comp["cases"]]
    header = ["Quantity", "Unit", *names, f"{names[-1]} / {names[0]}"]
    rows: list[list[Any]] = [header]
    for r in comp["rows"]:
        name, unit = label(r["key"])
        rows.append([name, unit, *[fmt(v) for v in r["values"]], fmt(r["ratio_last_to_first"])])
    n = len(names)
    widths = [0.34 * w, 0.1 * w] + [0.56 * w / (n + 1)] * (n + 1)
    story: list[Flowable] = [
        para("Comparison: " + " vs ".join(names), "Title"),
        para(f"gridimpact {__version__}", "Small"),
        para("Summary", "Heading1"),
        *[para(s, "Answer") for s in comparison_sentences(comp)],
        para("What would have to be built", "Heading2"),
        *[para(line, "Summary") for line in _build_list(docs)],
        PageBreak(),
        para("Side by side", "Heading1"),
        table(rows, widths, font_size=7),
        PageBreak(),
        para("Figures", "Heading1"),
        *figure(str(need), "Peak need of each case against the hosting capacity of its POI."),
        *figure(str(ldc), "Facility load duration curves of the cases, overlaid."),
    ]
    ReportDoc(
        str(folder / "comparison.pdf"),
        title="gridimpact comparison: " + " vs ".join(names),
        subject="gridimpact comparison",
    ).multiBuild(story)
