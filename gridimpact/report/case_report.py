"""The PDF report of one case, built only from ``results.json`` and the PNGs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from gridimpact.report.labels import QUANTITIES, column_label, label, name, number, with_unit
from gridimpact.report.methods import LIMITATIONS, METHOD_SECTIONS
from gridimpact.report.narrative import (
    ABBREVIATION_KEY,
    LIMIT_NAMES,
    SCENARIO_NAMES,
    basis_rows,
    exceedance_lines,
    limitations,
    mitigation_lines,
    not_studied,
    plain_language,
    pollutant_name,
    summary_sentences,
)
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

W = CONTENT_WIDTH

# the executive-summary table: the rows that answer the question
SUMMARY_KEYS = (
    "recommended_interconnection_description",
    "scr_min_case_recommended",
    "poi_voltage_fluctuation_percent_recommended",
    "bess_power_mw_required_recommended",
    "facility_peak_mw",
    "annual_energy_gwh",
    "pue_annual",
    "share_of_utility_peak_percent",
    "share_of_system_peak_percent",
    "hosting_capacity_n1_mw",
    "hosting_margin_n1_mw",
    "attributable_violation_count_n0",
    "attributable_violation_count_n1",
    "preexisting_violation_count_n0",
    "preexisting_violation_count_n1",
    "violation_hours_n1",
    "n1_min_vm_pu",
    "min_vm_pu_n0",
    "scr",
    "scr_min_case",
    "water_makeup_avg_mgd",
    "turbine_nox_tons_per_year_at_permitted_hours",
    "permit_exceedance_count",
    "poi_voltage_fluctuation_percent",
    "bess_power_mw_required",
    "upgrade_best_option",
    "upgrade_best_hosting_n1_mw",
)


def _kv_rows(headline: dict[str, Any], keys: Sequence[str]) -> list[list[str]]:
    rows = [["Quantity", "Value", "Unit"]]
    for key in keys:
        if key in headline:
            text, unit = label(key)
            rows.append([text, _cell(headline[key]), unit])
    return rows


def _two_column(rows: list[list[str]]) -> list[list[str]]:
    """A header + body table folded into two side-by-side halves (same header twice)."""
    header, body = rows[0], rows[1:]
    half = (len(body) + 1) // 2
    left, right = body[:half], body[half:] + [["", "", ""]] * (2 * half - len(body))
    return [header + header] + [a + b for a, b in zip(left, right, strict=True)]


def _appendix_rows(headline: dict[str, Any]) -> list[list[str]]:
    """Every headline value with its label and unit; nested values one row per item."""
    rows = [["Quantity", "Value", "Unit"]]
    keys = [k for k in QUANTITIES if k in headline] + [k for k in headline if k not in QUANTITIES]
    for key in keys:
        if key == "permit_exceedances":
            continue  # a table of its own
        text, unit = label(key)
        value = headline[key]
        if isinstance(value, dict):
            for k, v in value.items():
                if isinstance(v, dict):
                    for k2, v2 in v.items():
                        rows.append(
                            [f"{text}: {name(k)}, {pollutant_name(str(k2))}", fmt(v2), unit]
                        )
                else:
                    rows.append([f"{text}: {pollutant_name(name(k))}", fmt(v), unit])
        else:
            rows.append([text, fmt(value) if not isinstance(value, str) else name(value), unit])
    return rows


def _values_table(values: dict[str, Any], keys: Sequence[str]) -> Flowable:
    """Labelled values with their units (never a raw key)."""
    rows = [["Quantity", "Value", "Unit"]]
    for k in keys:
        text, unit = label(k)
        v = values[k]
        rows.append([text, name(v) if isinstance(v, str) else fmt(v), unit])
    return table(rows, [0.6 * W, 0.28 * W, 0.12 * W])


def _cell(value: Any) -> str:
    return name(value) if isinstance(value, str) else fmt(value)


def _records_table(
    records: list[dict[str, Any]],
    widths: Sequence[float] | None = None,
    font_size: float = 7.0,
    columns: Sequence[str] | None = None,
) -> Flowable:
    if not records:
        return para("None.")
    cols = list(columns or records[0].keys())
    rows: list[list[Any]] = [[column_label(c) for c in cols]]
    rows += [[_cell(r.get(c)) for c in cols] for r in records]
    return table(rows, list(widths or [W / len(cols)] * len(cols)), font_size=font_size)


def _violation_summary(records: list[dict[str, Any]], intact: bool = False) -> Flowable:
    """Violations by element: worst value, how many outages, the worst one, whose."""
    if not records:
        return para("None.")
    header = ["Element", "Kind", "Criterion", "Worst", "Limit"]
    header += [] if intact else ["Outages", "Worst outage"]
    header += ["Due to the campus"]
    rows: list[list[Any]] = [header]
    for r in records:
        unit = "pu" if r["quantity"] == "vm_pu" else "%"
        due = (
            "yes"
            if r["attributable_count"] == r["contingency_count"]
            else "no (pre-existing)"
            if r["attributable_count"] == 0
            else f"in {number(r['attributable_count'])} outages"
        )
        if intact:
            due = "yes" if r["attributable_count"] else "no (pre-existing)"
        row = [
            r["element"],
            name(r["kind"]),
            name(r["quantity"]),
            with_unit(r["worst_value"], unit),
            with_unit(r["limit"], unit),
        ]
        row += [] if intact else [fmt(r["contingency_count"]), r["worst_contingency"]]
        rows.append([*row, due])
    widths = (
        [0.3, 0.1, 0.1, 0.12, 0.1, 0.28]
        if intact
        else [0.22, 0.09, 0.07, 0.09, 0.08, 0.07, 0.25, 0.13]
    )
    return table(rows, [w * W for w in widths], font_size=6.8)


def _cover(doc: dict[str, Any]) -> list[Flowable]:
    case = doc["case"]
    date = report_date().isoformat()
    revision = [
        ["Revision", "Date", "Description", "Prepared by"],
        [
            f"0 (case {case['file_sha256'][:8]})",
            date,
            f"Study of {case['file']} as issued: every result of this revision is read "
            "from results.json; a changed case file gives a new revision",
            f"gridimpact {doc['tool_version']}",
        ],
    ]
    return [
        Spacer(1, 1.2 * 72),
        para(case["title"], "CoverTitle"),
        Spacer(1, 18),
        para("Grid-impact and cooling study", "CoverSubtitle"),
        Spacer(1, 24),
        table(
            [
                ["Case", case["name"]],
                ["Case file", case["file"]],
                ["Case file SHA-256", case["file_sha256"]],
                ["Report date", date],
                ["Tool version", f"gridimpact {doc['tool_version']}"],
                ["Results schema", doc["schema_version"]],
            ],
            [1.6 * 72, W - 1.6 * 72],
            header=False,
            font_size=9,
        ),
        Spacer(1, 18),
        para("Revision", "Heading3"),
        table(revision, [0.17 * W, 0.12 * W, 0.53 * W, 0.18 * W], font_size=8),
        Spacer(1, 24),
        para(
            "Every number in this report is read from results.json in the same folder; every "
            "input is listed with its source in the assumptions table, every method in the "
            "methodology section. Full tables (every violation, every hour) are the CSV files "
            "in tables/.",
            "Small",
        ),
        PageBreak(),
    ]


def _plain_language(doc: dict[str, Any]) -> list[Flowable]:
    story: list[Flowable] = [
        para("In plain language", "Heading1"),
        para(
            "What this study finds, for readers who are not power engineers. The numbers are "
            "the study's own; the sections after this page give the detail.",
            "Small",
        ),
    ]
    for heading, sentences in plain_language(doc):
        story += [para(heading, "Heading3")]
        story += [para(s, "Answer") for s in sentences]
    return [KeepTogether(story), PageBreak()]


def _study_basis(doc: dict[str, Any]) -> list[Flowable]:
    rows: list[list[Any]] = [["Item", "Basis"]]
    rows += [[k, v] for k, v in basis_rows(doc)]
    story: list[Flowable] = [
        para("Study basis", "Heading1"),
        para(
            "What was studied, against which criteria, with which data and which version; "
            "then what was not studied.",
            "Small",
        ),
        table(rows, [0.2 * W, 0.8 * W], font_size=7.5),
        Spacer(1, 8),
        para("Not studied", "Heading3"),
    ]
    story += [para(f"- {text}", "Small") for text in not_studied(doc)]
    return [*story, PageBreak()]


def _executive_summary(doc: dict[str, Any]) -> list[Flowable]:
    h = doc["headline"]
    story: list[Flowable] = [para("Executive summary", "Heading1")]
    story += [para(s, "Summary") for s in summary_sentences(doc)]
    lines = exceedance_lines(h)
    story += [
        para(
            "Air-permit limits reached ("
            + ABBREVIATION_KEY
            + "): "
            + (" ".join(lines) if lines else "none."),
            "Summary",
        )
    ]
    story += [para("Mitigations required: " + " ".join(mitigation_lines(doc)), "Summary")]
    story += [
        table(
            _two_column(_kv_rows(h, SUMMARY_KEYS)), [0.29 * W, 0.15 * W, 0.06 * W] * 2, font_size=7
        )
    ]
    return [KeepTogether(story), PageBreak()]


def _load_and_cooling(doc: dict[str, Any], figs: dict[str, str]) -> list[Flowable]:
    cooling = doc["cooling"]
    story: list[Flowable] = [para("1 Load and cooling", "Heading1")]
    story += figure(
        figs["design_day"],
        "Campus power at the POI over the design day, by "
        "component, with the design dry-bulb and wet-bulb temperatures.",
    )
    story += figure(figs["facility_year"], "Daily maximum and mean facility power over the year.")
    story += figure(figs["load_duration"], "Facility load duration curve.")
    story += [
        para("1.0 Where the energy goes", "Heading2"),
        para(
            "Annual energy by component; the PUE contributions add up to the annual "
            f"PUE of {doc['headline']['pue_annual']}.",
            "Small",
        ),
        _records_table(cooling["energy_breakdown"], font_size=7.5),
        Spacer(1, 8),
    ]
    story += figure(figs["pue_heatmap"], "Hourly PUE, day of year x hour of day.")
    if "wue_heatmap" in figs:
        story += figure(figs["wue_heatmap"], "Hourly water use effectiveness (L per kWh of IT).")
    if "water_daily" in figs:
        story += figure(figs["water_daily"], "Daily makeup water against local references.")
    story += [
        CondPageBreak(3 * 72),
        para("1.1 Cooling plant at design conditions", "Heading2"),
        para(
            f"Architecture: {name(cooling['architecture'])}. Weather: {doc['weather']['source']}."
        ),
        Spacer(1, 4),
    ]
    story.append(
        _records_table(
            cooling["design_table"],
            font_size=6.3,
            columns=[
                "equipment",
                "count",
                "needed",
                "unit_capacity_mw",
                "total_capacity_mw",
                "design_power_mw",
                "flow_m3_per_h",
                "design_condition",
            ],
        )
    )
    findings = cooling["design_findings"] or ["none: the plant holds its design class."]
    story += [Spacer(1, 4), para("Design findings: " + " ".join(findings), "Small")]
    story += [
        CondPageBreak(4 * 72),
        para("1.2 Cooling architectures compared", "Heading2"),
        para(
            "The same campus, weather and IT load under each architecture (the case's "
            "own with its overrides, the others with data-file defaults).",
            "Small",
        ),
    ]
    story.append(_records_table(cooling["alternatives"], font_size=6.5))
    story += figure(
        figs["cooling_tradeoff"],
        "Power against water: facility peak and mean "
        "makeup water of each architecture, with local water references.",
    )
    if cooling["gpu_sensitivity"]:
        story += [
            CondPageBreak(3 * 72),
            para("1.3 GPU-system sensitivity", "Heading2"),
            para(
                "The same GPU count, draw fractions, facility and cooling architecture built "
                "with each GPU system; each plant is sized, checked and, if it fails, resized "
                "as the case's own. The hosting margin is the POI's N-1 hosting capacity less "
                "the planning peak (negative: the POI cannot host it).",
                "Small",
            ),
            _records_table(
                cooling["gpu_sensitivity"],
                widths=[0.14 * W] + [0.86 * W / (len(cooling["gpu_sensitivity"][0]) - 1)]
                * (len(cooling["gpu_sensitivity"][0]) - 1),
                font_size=6.5,
            ),
        ]
    return story


_N0_ROWS = {
    "converged": "Power flow converged",
    "poi_vm_pu": "POI voltage",
    "min_vm_pu": "Lowest bus voltage",
    "max_vm_pu": "Highest bus voltage",
    "max_branch_loading_percent": "Highest branch loading",
    "max_loading_branch": "Most loaded branch",
    "violation_count": "Violations",
}


def _grid(doc: dict[str, Any], figs: dict[str, str]) -> list[Flowable]:
    grid = doc["grid"]
    story: list[Flowable] = [
        PageBreak(),
        para("2 Grid: steady state at summer peak", "Heading1"),
        para(f"Network: {grid['network']}. {grid['network_description']}"),
    ]
    story += figure(
        figs["network_map"],
        "Network with the campus at peak (N-0): branches "
        "coloured and thickened by loading, buses by voltage; dotted branches are "
        "transformers.",
    )
    base, camp = grid["n0_base"], grid["n0_campus"]
    rows: list[list[Any]] = [["Quantity", "Without campus", "With campus", "Unit"]]
    for key, unit in (
        ("converged", ""),
        ("poi_vm_pu", "pu"),
        ("min_vm_pu", "pu"),
        ("max_vm_pu", "pu"),
        ("max_branch_loading_percent", "%"),
        ("max_loading_branch", ""),
        ("violation_count", "count"),
    ):
        rows.append([_N0_ROWS[key], _cell(base[key]), _cell(camp[key]), unit])
    story += [para("2.1 N-0", "Heading2"), table(rows, [0.34 * W, 0.26 * W, 0.26 * W, 0.14 * W])]
    story += [
        para("N-0 violations with the campus, by element", "Heading3"),
        _violation_summary(grid.get("n0_violations_by_element", []), intact=True),
    ]
    n1 = grid["n1_campus"]
    diverged = grid.get("n1_diverged_outages", [])
    cats = doc["study_basis"]["contingencies_by_category"]
    story += [
        CondPageBreak(3 * 72),
        para("2.2 N-1 (NERC TPL-001 contingency set)", "Heading2"),
        para(
            f"{number(n1['n_contingencies'])} outages ("
            + ", ".join(f"{number(v)} {name(k)}" for k, v in cats.items() if v)
            + f"); {number(n1['n_converged'])} solved; {number(n1['violation_count'])} "
            f"violations (outage x element). Worst loading {number(n1['worst_loading_percent'])}"
            f" % on {n1['worst_loading_branch']} for the outage of "
            f"{n1['worst_loading_contingency']}; lowest voltage {number(n1['min_vm_pu'])} pu at "
            f"{n1['min_vm_bus']} for the outage of {n1['min_vm_contingency']}."
        ),
    ]
    if diverged:
        story.append(
            para(
                f"No power-flow solution (the grid cannot hold its voltage) for "
                f"{number(len(diverged))} outage(s): "
                + "; ".join(
                    f"{d['contingency']} ({name(d['category'])}"
                    + (", due to the campus" if d["attributable"] else ", also without it")
                    + ")"
                    for d in diverged
                )
                + "."
            )
        )
    story += figure(
        figs["n1_loading"],
        "Most loaded branches: intact and worst post-contingency loading, both in percent "
        "of the emergency rating (the N-1 criterion).",
    )
    story += [
        para("N-1 violations by element", "Heading3"),
        para(
            "One row per element and criterion: its worst value over every outage, how many "
            "outages cause it, the worst one, and whether the campus causes it. Every "
            "violation, outage by outage, is in tables/n1_violations_attributed.csv.",
            "Small",
        ),
        _violation_summary(grid.get("n1_violations_by_element", [])),
    ]
    host = grid["hosting"]
    lim1 = host["limiting_element_n1"]
    story += [
        CondPageBreak(2 * 72),
        para("2.3 Hosting capacity", "Heading2"),
        para(
            f"The largest campus at {host['poi_bus']} (power factor "
            f"{number(host['power_factor'])}) that meets the N-0 criteria is "
            f"{number(host['hosting_capacity_n0_mw'])} MW, limited by "
            f"{host['limiting_element_n0']} ({name(host['limiting_quantity_n0'])}); that also "
            f"meets the N-1 criteria {number(host['hosting_capacity_n1_mw'])} MW, limited by "
            f"{lim1} ({name(host['limiting_quantity_n1'])}) for the outage of "
            f"{host['limiting_contingency_n1']}."
            + (" The search reached its upper bound." if host["capped"] else "")
        ),
        Spacer(1, 4),
        _records_table(
            [host],
            font_size=6.3,
            columns=[
                "poi_bus",
                "hosting_capacity_n0_mw",
                "limiting_element_n0",
                "hosting_capacity_n1_mw",
                "limiting_element_n1",
                "limiting_contingency_n1",
            ],
        ),
    ]
    if len(grid["hosting_candidates"]) > 1:
        story += [
            para("Hosting capacity at candidate points of interconnection", "Heading3"),
            _records_table(grid["hosting_candidates"], font_size=6.3),
        ]
    up = grid["upgrades"]
    story += [
        CondPageBreak(3 * 72),
        para("2.4 Interconnection options", "Heading2"),
        para(up["note"]),
        para(
            "Violations: all / attributable to the campus (new, or worsened beyond the "
            f"thresholds: {up['attribution_rule']}). SCR min: IEC 60909 minimum case."
        ),
        _records_table(
            up["options"],
            font_size=5.6,
            columns=[
                "option",
                "poi_bus",
                "new_circuit_km",
                "n0_violations",
                "attributable_n0",
                "n1_violations",
                "attributable_n1",
                "clears",
                "hosting_n1_mw",
                "scr",
                "scr_min_case",
            ],
        ),
    ]
    ts = grid["timeseries"]
    story += [
        CondPageBreak(4 * 72),
        para("2.5 Full year, hour by hour", "Heading2"),
        para(
            f"Background load shaped by the same weather as the cooling study, campus at "
            f"its hourly load. {ts['note']}. {ts.get('note_n1', '')}"
        ),
    ]
    rows = [
        [
            "Hour",
            "Time",
            "Background (x peak)",
            "Campus MW",
            "POI pu",
            "Lowest pu",
            "Highest loading %",
            "Most loaded branch",
            "N-0 violations",
        ]
    ]
    for key, hour in (("system_peak_hour", "system peak"), ("campus_peak_hour", "campus peak")):
        r = ts[key]
        rows.append(
            [
                hour,
                r["time"],
                r["background_scale"],
                r["campus_p_mw"],
                r["poi_vm_pu"],
                r["min_vm_pu"],
                r["max_loading_percent"],
                r["max_loading_branch"],
                r["n0_violations"],
            ]
        )
    story.append(
        table(
            rows,
            [0.1 * W, 0.14 * W, 0.09 * W, 0.09 * W, 0.08 * W, 0.08 * W, 0.1 * W, 0.22 * W, 0.1 * W],
            font_size=6.5,
        )
    )
    story += figure(
        figs["grid_year"],
        "Daily extremes over the year with the campus: highest "
        "branch loading and lowest bus voltage, intact and after the worst outage.",
    )
    sc = grid["short_circuit"]
    h = doc["headline"]
    text = (
        f"IEC 60909 three-phase short circuit at {h['poi_bus']}: maximum case S''k = "
        f"{number(sc['poi_sc_mva'])} MVA (I''k = {number(sc['poi_ikss_ka'])} kA, X/R = "
        f"{number(sc['poi_x_over_r'])}), SCR = S''k / campus MW = {number(sc['scr'])}; "
        f"minimum case S''k = {number(sc['poi_sc_min_mva'])} MVA, SCR "
        f"{number(sc['scr_min_case'])}, ESCR {number(h['escr_min_case'])}: "
        f"{name(h['grid_strength'])} (classed on the minimum case; weak below 3, very weak "
        "below 2, IEEE Std 1204)."
    )
    if sc["poi_sc_mva"] is None:
        text = sc["note"]
    story += [para("2.6 Short circuit and short-circuit ratio", "Heading2"), para(text)]
    return story


def _dynamics(doc: dict[str, Any], figs: dict[str, str]) -> list[Flowable]:
    dyn = doc["dynamics"]
    story: list[Flowable] = [
        PageBreak(),
        para("3 Dynamics: training swings and load loss", "Heading1"),
    ]
    rec = dyn.get("recommended")
    if rec is not None:
        story.append(para("At the requested POI", "Heading3"))
    story += [para(f) for f in dyn["findings"]]
    if rec is not None:
        story.append(
            para(
                "At the recommended interconnection ("
                + doc["headline"]["recommended_interconnection_description"]
                + ")",
                "Heading3",
            )
        )
        story += [para(f) for f in rec["findings"]]
    story += figure(
        figs["waveform"],
        "Campus power during training, before and after mitigation (whole window and a zoom).",
    )
    story += figure(
        figs["spectrum"],
        "Spectrum of the campus power with the 0.1-2 Hz electromechanical oscillation band shaded.",
    )
    story += figure(
        figs["flicker"],
        "POI voltage through the minimum-case Thevenin impedance, and Pst / Plt of the "
        "IEC 61000-4-15 flickermeter for each mitigation against the limits IEC/TR 61000-3-7 "
        "allocates to the campus (log scale).",
    )
    keys = list(dyn["headline"])
    story += [
        CondPageBreak(3 * 72),
        para("Dynamics results at the requested POI", "Heading3"),
        _values_table(dyn["headline"], keys),
    ]
    story += _time_domain(doc, figs)
    story += _air_permits(doc, figs)
    return story


def _time_domain(doc: dict[str, Any], figs: dict[str, str]) -> list[Flowable]:
    td = doc["time_domain"]
    story: list[Flowable] = [
        CondPageBreak(3 * 72),
        para("3.1 Time-domain studies at the requested POI", "Heading2"),
    ]
    story += [para(f) for f in td["findings"]]
    if "td_trip" in figs:
        story += figure(
            figs["td_trip"],
            "Sudden loss of the whole campus: centre-of-inertia frequency of the "
            "synchronous machines and the POI voltage.",
        )
    if "td_fault" in figs:
        story += figure(
            figs["td_fault"],
            "Three-phase fault at the POI: POI voltage if the campus rode through (dashed) "
            "and with the load the ride-through curve drops (solid; dotted lines: trips), "
            "and the frequency that follows.",
        )
    if "td_modes" in figs:
        story += figure(
            figs["td_modes"],
            "Electromechanical modes of the network (small-signal analysis at the "
            "planning-peak operating point) against the training swing's frequencies; the "
            "0.1-2 Hz band shaded.",
        )
    if td["performed"]:
        keys = [k for k in td["headline"] if k != "electromechanical_modes"]
        story += [
            CondPageBreak(2 * 72),
            para("Time-domain results", "Heading3"),
            _values_table(td["headline"], keys),
        ]
    return story


def _air_permits(doc: dict[str, Any], figs: dict[str, str]) -> list[Flowable]:
    ons, h = doc["onsite"], doc["headline"]
    story: list[Flowable] = [
        PageBreak(),
        para("4 On-site generation and air permits", "Heading1"),
    ]
    story += [para(f) for f in ons["findings"]]
    pollutants = ["NOx", "CO", "VOC", "PM", "SO2", "formaldehyde", "HAP_total", "CO2e"]
    if ons["unit_pte"]:
        rows: list[list[Any]] = [
            ["Units", "Count", "MW", "Fuel MMBtu/yr", *[pollutant_name(p) for p in pollutants]]
        ]
        for r in ons["unit_pte"]:
            rows.append(
                [r["units"], r["count"], r["rating_mw"], r["fuel_mmbtu_per_year"]]
                + [r[f"{p}_tons_per_year"] for p in pollutants]
            )
        story += [
            para("4.1 Potential to emit per unit and fleet", "Heading2"),
            para(
                "Short tons per year at the permitted hours and full load; fuel on the HHV "
                "basis of EPA AP-42 section 3.1.",
                "Small",
            ),
            table(
                rows,
                [0.1 * W, 0.05 * W, 0.06 * W, 0.11 * W] + [0.075 * W] * 7 + [0.155 * W],
                font_size=6.3,
            ),
        ]
    rows = [["Scenario", "Fleet", "Control", "Hours", "Energy MWh", "Fuel MMBtu"]]
    rows += [
        [
            SCENARIO_NAMES[r["scenario"]],
            r["fleet"],
            r["control"],
            r["hours"],
            r["energy_mwh"],
            r["fuel_mmbtu"],
        ]
        for r in ons["scenarios"]
    ]
    story += [
        CondPageBreak(2.5 * 72),
        para("4.2 Emission scenarios", "Heading2"),
        table(rows, [0.17 * W, 0.3 * W, 0.23 * W, 0.08 * W, 0.11 * W, 0.11 * W], font_size=6.3),
    ]
    kinds = list(LIMIT_NAMES)
    scenarios = list(SCENARIO_NAMES)
    rows = [
        [
            "Pollutant",
            *[SCENARIO_NAMES[s] for s in scenarios],
            *[LIMIT_NAMES[k] for k in kinds],
        ]
    ]
    for r in ons["emissions"]:
        rows.append(
            [pollutant_name(r["pollutant"])]
            + [r[f"{s}_tons_per_year"] for s in scenarios]
            + [r[f"{k}_tons_per_year"] for k in kinds]
        )
    story += [
        CondPageBreak(3 * 72),
        para("4.3 Pollutants, scenarios and limits (short t/yr)", "Heading2"),
        para(
            "Mass emissions only, no dispersion modelling: nothing here is an ambient "
            "concentration, a NAAQS check or a health-risk estimate. Limits: the case's permit "
            "caps; Title V major source 100 t/yr (40 CFR 70.2); PSD major source 250 t/yr and "
            "significant emission rates (40 CFR 52.21(b)(1), (b)(23), (b)(49)); HAP major "
            "source 10 t/yr of one HAP, 25 t/yr of all (CAA 112(a)(1)). Thresholds apply to "
            "the potential to emit; interim prime power is the tons of its first 12 months.",
            "Small",
        ),
        table(rows, [0.1 * W] + [0.09 * W] * 4 + [0.09 * W] * 5, font_size=6.3),
    ]
    story += figure(
        figs["emissions"],
        "Dispersion-free comparison: tons per year of each scenario (bars) against every "
        "cap and threshold (markers), log scale. Not ambient concentrations.",
    )
    lines = exceedance_lines(h)
    story += [para("4.4 Limits reached", "Heading2"), para(ABBREVIATION_KEY, "Small")]
    story += [para(line) for line in lines] or [para("None.")]
    story += [
        Spacer(1, 6),
        para("On-site generation results", "Heading3"),
        _values_table(ons["headline"], list(ons["headline"])),
    ]
    return story


def _value_as_given(row: dict[str, Any]) -> str:
    """The value in the model's unit, and as the input gave it when it was converted."""
    note = str(row.get("note") or "")
    given = [part for part in note.split("; ") if part.startswith("given as ")]
    return fmt(row["value"]) + (f" ({given[0]})" if given else "")


def _methods_and_assumptions(doc: dict[str, Any]) -> list[Flowable]:
    story: list[Flowable] = [PageBreak(), para("5 Methodology", "Heading1")]
    for title, text in METHOD_SECTIONS:
        story += [para(title, "Heading3"), para(text, "Small")]
    story += [
        PageBreak(),
        para("6 Assumptions", "Heading1"),
        para("Every sourced input of the case file and of the catalogs it draws on.", "Small"),
    ]
    rows: list[list[Any]] = [["Input", "Value", "Unit", "Source", "Confidence"]]
    rows += [
        [a["input"], _value_as_given(a), a["unit"], a["source"], a["confidence"]]
        for a in doc["assumptions"]
    ]
    story.append(table(rows, [0.25 * W, 0.1 * W, 0.08 * W, 0.45 * W, 0.12 * W], font_size=6.3))
    story += [PageBreak(), para("7 Limitations", "Heading1")]
    story += [para(f"- {text}") for text in limitations(doc, LIMITATIONS)]
    story += [
        CondPageBreak(3 * 72),
        para("Appendix: all headline results", "Heading1"),
        table(_appendix_rows(doc["headline"]), [0.6 * W, 0.28 * W, 0.12 * W], font_size=7),
    ]
    exceed = doc["headline"]["permit_exceedances"]
    if exceed:
        rows = [["Scenario", "Pollutant", "Value (t/yr)", "Limit (t/yr)", "Limit"]]
        rows += [
            [
                SCENARIO_NAMES.get(e["scenario"], e["scenario"]),
                pollutant_name(e["pollutant"]),
                fmt(e["value"]),
                fmt(e["limit"]),
                LIMIT_NAMES.get(e["limit_kind"], e["limit_kind"]),
            ]
            for e in exceed
        ]
        story += [
            para("Air-permit limits reached, every entry", "Heading3"),
            table(rows, [0.3 * W, 0.15 * W, 0.15 * W, 0.15 * W, 0.25 * W], font_size=6.8),
        ]
    return story


def build_case_pdf(doc: dict[str, Any], figures: dict[str, str], path: str) -> None:
    """Write the PDF report of one case from its ``results.json`` document and PNGs."""
    story: list[Flowable] = _cover(doc)
    story += _plain_language(doc)
    story += _executive_summary(doc)
    story += _study_basis(doc)
    story += [para("Contents", "Heading1"), toc(), PageBreak()]
    story += _load_and_cooling(doc, figures)
    story += _grid(doc, figures)
    story += _dynamics(doc, figures)
    story += _methods_and_assumptions(doc)
    ReportDoc(path, title=doc["case"]["title"], subject="gridimpact case report").multiBuild(story)
