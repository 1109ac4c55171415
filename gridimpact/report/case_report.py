"""The PDF report of one case, built only from ``results.json`` and the PNGs."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer

from gridimpact.report.labels import HEADLINE_LABELS, label
from gridimpact.report.pdfdoc import (
    CONTENT_WIDTH,
    ReportDoc,
    figure,
    fmt,
    para,
    report_date,
    table,
    toc,
)

METHOD_PARAGRAPHS: tuple[str, ...] = (
    "IT power. P_IT = N_GPU x P_system/GPU x (1 + f_fabric) x d(t), where P_system/GPU is "
    "the GPU-system maximum power divided by its GPUs (NVIDIA DGX/NVL72 user guides), "
    "f_fabric the fabric, storage and CPU-rack share, and d(t) the draw fraction: the peak "
    "draw except in a weekly maintenance window at the idle draw, sized so the year "
    "averages the mean draw.",
    "Facility power. P_POI = (P_IT / eta_UPS + P_cooling + P_misc) / eta_tx; "
    "Q_POI = P_POI tan(acos(pf)). PUE = facility energy / IT energy (ISO/IEC 30134-2). "
    "The planning peak is the design day: IT at peak draw under the ASHRAE 0.4 % design "
    "weather (ASHRAE Handbook Fundamentals 2009, ch. 14).",
    "Cooling. The cooling plant is sized for the peak heat load at design weather and "
    "simulated hour by hour; see the cooling methodology in docs/methodology.md "
    "(psychrometrics: ASHRAE Handbook Fundamentals 2017 ch. 1 via psychrolib; chillers: "
    "DOE-2 / EnergyPlus Chiller:Electric:EIR bounded by Carnot; towers: latent heat of "
    "evaporation, blowdown E/(C-1), drift).",
    "Grid. AC power flow (Newton-Raphson, pandapower) of a representative network with "
    "the campus as a constant-power load at the POI; voltage criterion 0.95-1.05 pu and "
    "thermal criterion 100 % of rating in N-0 (utility planning practice, e.g. NERC "
    "TPL-001-5 with regional criteria).",
)

LIMITATIONS: tuple[str, ...] = (
    "The network is representative, not the utility's model: real MLGW/TVA models are "
    "confidential (CEII). Results show orders of magnitude and the mechanism, not a "
    "substitute for the utility's interconnection study.",
    "Facts about Colossus come from public reporting; values marked 'estimate' in the "
    "assumptions table are engineering judgement.",
    "The hourly IT profile is a two-level schedule (peak draw, weekly idle window); "
    "sub-hourly training swings are not part of the hourly year.",
    "Weather is a synthetic typical year unless the case names an EPW file; it reproduces "
    "the ASHRAE design conditions, not a particular year.",
)


def _headline_rows(headline: dict[str, Any]) -> list[list[str]]:
    rows = [["Quantity", "Value", "Unit"]]
    for key in HEADLINE_LABELS:
        if key in headline:
            name, unit = label(key)
            rows.append([name, fmt(headline[key]), unit])
    for key, value in headline.items():
        if key not in HEADLINE_LABELS:
            name, unit = label(key)
            rows.append([name, fmt(value), unit])
    return rows


def summary_sentences(doc: dict[str, Any]) -> list[str]:
    """The answer in words, every number taken from ``doc``."""
    h = doc["headline"]
    grid = doc["grid"]
    sentences = [
        f"{h['gpu_count']} {h['gpu_model']} GPUs draw {h['facility_peak_mw']} MW at the point "
        f"of interconnection on the design day ({h['it_peak_mw']} MW of IT load, design-day "
        f"PUE {h['pue_design_day']}), {h['share_of_utility_peak_percent']} % of the "
        f"utility's summer peak and {h['share_of_system_peak_percent']} % of TVA's. "
        f"Over a year the campus uses {h['annual_energy_gwh']} GWh (annual PUE "
        f"{h['pue_annual']}).",
    ]
    if h.get("n0_converged"):
        verdict = (
            "no N-0 violation"
            if h["n0_violation_count"] == 0
            else f"{h['n0_violation_count']} N-0 violations"
        )
        sentences.append(
            f"With the campus at {grid['campus_p_mw']} MW on {h['poi_bus']} at summer peak, "
            f"the POI voltage is {h['poi_vm_pu']} pu, the lowest bus voltage "
            f"{h['min_vm_pu_n0']} pu and the most loaded branch ({h['max_loading_branch_n0']}) "
            f"carries {h['max_branch_loading_percent_n0']} % of its rating: {verdict}."
        )
    else:
        sentences.append(
            f"With the campus at {grid['campus_p_mw']} MW on {h['poi_bus']} the power flow "
            "does not converge: the network cannot serve this load as modelled "
            f"({grid['n0_campus']['note']})."
        )
    cooling = doc["cooling"]
    if not cooling["design_ok"]:
        sentences.append(
            "The cooling plant fails its design check: "
            + "; ".join(cooling["design_findings"])
            + "."
        )
    return sentences


def _cover(doc: dict[str, Any]) -> list[Flowable]:
    case = doc["case"]
    return [
        Spacer(1, 1.6 * 72),
        para(case["title"], "CoverTitle"),
        Spacer(1, 18),
        para("Grid-impact and cooling study", "Heading2"),
        Spacer(1, 24),
        table(
            [
                ["Case", case["name"]],
                ["Case file", case["file"]],
                ["Case file SHA-256", case["file_sha256"]],
                ["Report date", report_date().isoformat()],
                ["Tool version", f"gridimpact {doc['tool_version']}"],
                ["Results schema", doc["schema_version"]],
            ],
            [1.6 * 72, CONTENT_WIDTH - 1.6 * 72],
            header=False,
            font_size=9,
        ),
        Spacer(1, 24),
        para(
            "Every number in this report is read from results.json in the same folder; "
            "every input is listed with its source in the assumptions table.",
            "Small",
        ),
        PageBreak(),
    ]


def build_case_pdf(doc: dict[str, Any], figures: dict[str, str], path: str) -> None:
    """Write the PDF report of one case.

    Parameters
    ----------
    doc : dict
        The ``results.json`` document.
    figures : dict
        Figure key → PNG path (keys: ``design_day``, ``facility_year``,
        ``load_duration``, ``network_map``, optional ``water_daily``).
    path : str
        Output PDF path.
    """
    h = doc["headline"]
    grid = doc["grid"]
    w = CONTENT_WIDTH
    story: list[Flowable] = _cover(doc)
    story += [para("Executive summary", "Heading1")]
    story += [para(s, "Answer") for s in summary_sentences(doc)]
    story += [table(_headline_rows(h), [0.55 * w, 0.3 * w, 0.15 * w], font_size=8), PageBreak()]
    story += [para("Contents", "Heading1"), toc(), PageBreak()]

    story += [para("1 Load and cooling", "Heading1")]
    story += figure(
        figures["design_day"],
        "Figure 1. Campus power at the POI over the design day, by component, "
        "with the design dry-bulb and wet-bulb temperatures.",
    )
    story += figure(
        figures["facility_year"], "Figure 2. Daily maximum and mean facility power over the year."
    )
    story += figure(figures["load_duration"], "Figure 3. Facility load duration curve.")
    if "water_daily" in figures:
        story += figure(
            figures["water_daily"], "Figure 4. Daily makeup water against local references."
        )
    cooling = doc["cooling"]
    story += [
        CondPageBreak(3 * 72),
        para("Cooling plant at design conditions", "Heading2"),
        para(f"Architecture: {cooling['architecture']}. Weather: {doc['weather']['source']}."),
    ]
    if cooling["design_table"]:
        cols = list(cooling["design_table"][0].keys())
        rows = [cols] + [[r[c] for c in cols] for r in cooling["design_table"]]
        story.append(table(rows, [w / len(cols)] * len(cols), font_size=6.5))
    findings = cooling["design_findings"] or ["none: the plant holds its design class."]
    story += [Spacer(1, 6), para("Design findings: " + " ".join(findings), "Small")]

    story += [
        PageBreak(),
        para("2 Grid: steady state at summer peak (N-0)", "Heading1"),
        para(f"Network: {grid['network']}. {grid['network_description']}"),
    ]
    story += figure(
        figures["network_map"],
        "Figure 5. Network with the campus at peak: branches coloured and "
        "thickened by loading, buses by voltage; dotted branches are transformers.",
    )
    base, camp = grid["n0_base"], grid["n0_campus"]
    n0_rows = [["Quantity", "Without campus", "With campus", "Unit"]]
    for key, unit in (
        ("converged", ""),
        ("poi_vm_pu", "pu"),
        ("min_vm_pu", "pu"),
        ("max_vm_pu", "pu"),
        ("max_branch_loading_percent", "%"),
        ("max_loading_branch", ""),
        ("violation_count", "count"),
    ):
        n0_rows.append([key.replace("_", " "), fmt(base[key]), fmt(camp[key]), unit])
    story += [
        para("N-0 summary", "Heading2"),
        table(n0_rows, [0.34 * w, 0.26 * w, 0.26 * w, 0.14 * w]),
    ]
    story += [para("N-0 violations with the campus", "Heading2")]
    if grid["n0_campus_violations"]:
        cols = list(grid["n0_campus_violations"][0].keys())
        rows = [cols] + [[r[c] for c in cols] for r in grid["n0_campus_violations"]]
        story.append(table(rows, [w / len(cols)] * len(cols)))
    else:
        story.append(para("None."))
    if grid.get("n0_campus_top_branches"):
        cols = list(grid["n0_campus_top_branches"][0].keys())
        rows = [cols] + [[r[c] for c in cols] for r in grid["n0_campus_top_branches"]]
        story += [
            para("Most loaded branches with the campus", "Heading2"),
            table(rows, [w / len(cols)] * len(cols)),
        ]

    story += [PageBreak(), para("3 Methodology", "Heading1")]
    story += [para(p) for p in METHOD_PARAGRAPHS]
    story += [
        para("4 Assumptions", "Heading1"),
        para("Every sourced input of the case file and of the catalogs it draws on.", "Small"),
    ]
    rows = [["Input", "Value", "Unit", "Source", "Confidence"]]
    rows += [
        [a["input"], a["value"], a["unit"], a["source"], a["confidence"]]
        for a in doc["assumptions"]
    ]
    story.append(table(rows, [0.25 * w, 0.1 * w, 0.08 * w, 0.45 * w, 0.12 * w], font_size=6.5))
    story += [para("5 Limitations", "Heading1")]
    story += [para(f"- {text}") for text in LIMITATIONS]

    pdf = ReportDoc(path, title=doc["case"]["title"], subject="gridimpact case report")
    pdf.multiBuild(story)
