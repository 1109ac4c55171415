"""The comparison of several cases: ``comparison.json`` and ``comparison.pdf``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from reportlab.platypus import Flowable, PageBreak

from gridimpact import __version__
from gridimpact.report.document import round_for_key
from gridimpact.report.figures import plot_load_duration, plot_need_vs_capacity
from gridimpact.report.labels import QUANTITIES, compare_kind, label, name, number
from gridimpact.report.narrative import mitigation_lines
from gridimpact.report.output import write_json
from gridimpact.report.pdfdoc import CONTENT_WIDTH, ReportDoc, figure, para, table

COMPARISON_SCHEMA_VERSION = "1.1"


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def ratio(a: Any, b: Any) -> float | None:
    """``b / a`` for positive numbers (rounded to 2 decimals), ``None`` otherwise.

    A ratio of two values of different sign, or with a zero, means nothing.
    """
    if _is_number(a) and _is_number(b) and a > 0 and b > 0:
        return round(float(b) / float(a), 2)
    return None


def difference(key: str, a: Any, b: Any) -> float | int | None:
    """``b - a`` for numbers, rounded as ``key`` is (``None`` otherwise)."""
    if isinstance(a, int) and isinstance(b, int) and not isinstance(a | b, bool):
        return b - a  # counts stay whole
    if _is_number(a) and _is_number(b):
        return round_for_key(key, float(b) - float(a))
    return None


def _comparable(docs: list[dict[str, Any]]) -> list[tuple[str, list[Any]]]:
    """Every headline key all cases hold, in the label table's order; objects of
    scalars flattened one level (``n1_outage_count_by_category.line``), lists and
    objects of objects left to each case's report."""
    heads = [d["headline"] for d in docs]
    keys = [k for k in QUANTITIES if all(k in h for h in heads)]
    keys += [k for k in heads[0] if k not in QUANTITIES and all(k in h for h in heads)]
    out: list[tuple[str, list[Any]]] = []
    for key in keys:
        values = [h[key] for h in heads]
        if all(isinstance(v, dict) for v in values):
            items = [k for k in values[0] if all(k in v for v in values)]
            if all(not isinstance(values[0][k], dict | list) for k in items):
                out += [(f"{key}.{k}", [v[k] for v in values]) for k in items]
        elif not any(isinstance(v, dict | list) for v in values):
            out.append((key, values))
    return out


def comparison_document(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Side-by-side headline values and, where it means something, the change.

    ``ratio_last_to_first`` (last case / first case) only for amounts that scale with
    the campus (MW, energy, water, tons, GPUs; :func:`gridimpact.report.labels.compare_kind`
    ``"ratio"``); ``difference_last_minus_first`` only for levels (pu, %, counts, hours);
    both ``None`` otherwise (an SCR, a margin that changes sign, a name).
    """
    rows = []
    for key, values in _comparable(docs):
        kind = compare_kind(key.split(".")[0])
        rows.append(
            {
                "key": key,
                "values": values,
                "ratio_last_to_first": ratio(values[0], values[-1]) if kind == "ratio" else None,
                "difference_last_minus_first": (
                    difference(key.split(".")[0], values[0], values[-1])
                    if kind == "difference"
                    else None
                ),
            }
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
            f"The facility peak grows from {number(r['values'][0])} MW ({first}) to "
            f"{number(r['values'][-1])} MW ({last}), {number(r['ratio_last_to_first'])} times as "
            f"much."
        )
    if "share_of_utility_peak_percent" in by_key:
        r = by_key["share_of_utility_peak_percent"]
        out.append(
            f"As a share of the utility's summer peak: {number(r['values'][0])} % against "
            f"{number(r['values'][-1])} %."
        )
    if "max_branch_loading_percent_n0" in by_key and "n0_violation_count" in by_key:
        r = by_key["max_branch_loading_percent_n0"]
        v = by_key["n0_violation_count"]
        out.append(
            f"At summer peak the most loaded branch goes from {number(r['values'][0])} % to "
            f"{number(r['values'][-1])} % of its rating, and N-0 violations from "
            f"{number(v['values'][0])} to {number(v['values'][-1])}."
        )

    def pair(key: str) -> tuple[Any, Any] | None:
        r = by_key.get(key)
        return (r["values"][0], r["values"][-1]) if r else None

    need, host = pair("facility_peak_mw"), pair("hosting_capacity_n1_mw")
    if need and host:
        out.append(
            f"Under N-1 the point of interconnection of {first} can host {number(host[0])} MW "
            f"for a "
            f"need of {number(need[0])} MW; that of {last} can host {number(host[1])} MW for a "
            f"need of "
            f"{number(need[1])} MW."
        )
    n1 = pair("attributable_violation_count_n1")
    if n1:
        out.append(
            f"N-1 violations attributable to the campus: {number(n1[0])} against {number(n1[1])}."
        )
    scr = pair("scr_min_case")
    if scr:
        strength = pair("grid_strength") or ("", "")
        out.append(
            f"Minimum-case short-circuit ratio at the requested POI: {number(scr[0])} "
            f"({number(strength[0])}) "
            f"against {number(scr[1])} ({number(strength[1])})."
        )
    rec = pair("recommended_interconnection_description")
    if rec:
        out.append(
            f"Recommended interconnection: {first}: {number(rec[0])}; {last}: {number(rec[1])}."
        )
    water = pair("water_makeup_avg_mgd")
    if water:
        out.append(
            f"Cooling water: {number(water[0])} MGD against {number(water[1])} MGD on average "
            f"(cooling {name(by_key['cooling_architecture']['values'][0])} against "
            f"{name(by_key['cooling_architecture']['values'][-1])})."
        )
    pst = pair("pst_poi_recommended")
    limit = pair("pst_limit_allocated_recommended")
    if pst and limit and None not in pst:
        out.append(
            f"Flicker at the recommended interconnection (IEC 61000-4-15): Pst {number(pst[0])} "
            f"against "
            f"{number(pst[1])}, with allocated limits of {number(limit[0])} and {number(limit[1])}."
        )
    swing = pair("swing_peak_to_peak_mw")
    bess = pair("bess_power_mw_required_recommended") or pair("bess_power_mw_required")
    if swing and bess and None not in bess:
        out.append(
            f"Training swings: {number(swing[0])} MW against {number(swing[1])} MW peak to peak; "
            f"battery "
            f"power needed to meet the flicker limits allocated to the campus at the "
            f"recommended interconnection: {number(bess[0])} MW against {number(bess[1])} MW."
        )
    return out


def _row_label(key: str) -> str:
    base, _, item = key.partition(".")
    text = label(base)[0]
    return f"{text}: {name(item)}" if item else text


def _row(r: dict[str, Any]) -> list[str]:
    """The values and the change: ``x14.3`` (ratio), ``+0.12`` (difference) or blank."""
    values = [name(v) if isinstance(v, str) else number(v) for v in r["values"]]
    if r["ratio_last_to_first"] is not None:
        change = f"x {number(r['ratio_last_to_first'])}"
    elif r.get("difference_last_minus_first") is not None:
        d = r["difference_last_minus_first"]
        change = ("+" if d > 0 else "") + number(d)
    else:
        change = ""
    return [*values, change]


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
    header = ["Quantity", "Unit", *names, f"Change, {names[-1]} against {names[0]}"]
    rows: list[list[Any]] = [header]
    for r in comp["rows"]:
        rows.append([_row_label(r["key"]), label(r["key"].split(".")[0])[1], *_row(r)])
    n = len(names)
    widths = [0.36 * w, 0.08 * w] + [0.56 * w / (n + 1)] * (n + 1)
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
