"""Methodology paragraphs and limitations printed in every case report.

The long form, with every equation, is ``docs/methodology.md``; these paragraphs
name each method and its reference so that every number in the report can be
traced to one.
"""

from __future__ import annotations

METHOD_SECTIONS: tuple[tuple[str, str], ...] = (
    (
        "IT power",
        "P_IT(t) = N_GPU x P_sys/GPU x (1 + f_fabric) x d(t). P_sys/GPU is the GPU-system "
        "maximum power per GPU (NVIDIA DGX H100/B200 user guides, GB200/GB300 NVL72 rack "
        "power); f_fabric the fabric, storage and CPU-rack share; d(t) the draw fraction: "
        "the peak draw except in a weekly idle window whose length makes the year average "
        "the mean draw (energy balance).",
    ),
    (
        "Facility power and PUE",
        "P_POI = (P_IT / eta_UPS + P_cooling + P_misc) / eta_tx; Q_POI = P_POI tan(acos pf) "
        "(IEEE 1459). PUE = facility energy / IT energy (ISO/IEC 30134-2). The planning "
        "peak is the larger of the design-day maximum (IT at peak draw under ASHRAE 0.4 % "
        "design weather) and the hourly-year maximum.",
    ),
    (
        "Weather",
        "A seeded synthetic typical year from the station's monthly normals and ASHRAE "
        "2009 design conditions (calibrated so that its 0.4 % dry-bulb and evaporation "
        "wet-bulb match the design values), or an EPW file read with pvlib. Psychrometrics "
        "from psychrolib (ASHRAE Handbook Fundamentals 2017, ch. 1).",
    ),
    (
        "Cooling plant",
        "Heat splits between direct-to-chip liquid and air by the catalog capture "
        "fraction. Equipment is sized at the ASHRAE 0.4 % evaporation wet-bulb "
        "(evaporative) or 0.4 % dry-bulb (dry) with N+1, and checked at the extreme "
        "wet-bulb and 50-year dry-bulb. CDU flow from Q = m cp dT; pumps P = V dp / eta; "
        "chillers by the DOE-2 / EnergyPlus Chiller:Electric:EIR model bounded by Carnot; "
        "towers evaporate the latent share of the heat (h_fg from psychrolib), blowdown "
        "E/(C-1), drift a fraction of circulation; waterside economizer when the wet-bulb "
        "plus approaches meets the facility-water class (ASHRAE TC 9.9 W17-W45).",
    ),
    (
        "Grid: power flow, N-1, hosting",
        "AC Newton-Raphson power flow (lightsim2grid KLU solver on the pandapower model, "
        "cross-checked against pandapower runpp and run_contingency) with the campus as a "
        "constant-power load at the POI at summer peak, generators within their reactive "
        "limits. N-0 criteria 0.95-1.05 pu and 100 % of the normal rating; the NERC "
        "TPL-001-5 contingency set (lines, transformers, generators re-dispatched by "
        "participation factors, shunts, common-structure double circuits, N-1-1 of the "
        "POI's critical branches) at 0.90-1.10 pu and 100 % of the emergency rating. Line "
        "ratings from the weather year (IEEE 738 via linerate; design = hottest hour). "
        "Every study runs with and without the campus: only new violations, or ones the "
        "campus worsens past the stated thresholds, are the campus's. Hosting capacity: "
        "bisection on campus MW at the case power factor for the largest load with no "
        "attributable N-0, and N-0 plus N-1, violation. The cheapest screened option that "
        "passes is the recommended interconnection.",
    ),
    (
        "Short circuit",
        "IEC 60909 maximum and minimum three-phase initial symmetrical short circuit at the "
        "POI (pandapower.shortcircuit.calc_sc); SCR = S''k / campus MW and ESCR = (S''k,min "
        "- Q_C) / campus MW; the strength class from the minimum case, weak below 3, very "
        "weak below 2 (IEEE Std 1204-1997).",
    ),
    (
        "Training swings and power quality",
        "A synchronous training job alternates compute and communication phases "
        "(arXiv:2508.14318), with checkpoints and job start/stop, sampled at >= 10 Hz; the "
        "GPUs' power swings, the rest of the campus is static. Spectrum by FFT, energy in "
        "the 0.1-2 Hz band. dV/V = (dP R + dQ X) / V^2 with R and X from S''k and X/R, "
        "against IEC 61000-3-7 / IEEE 1453 planning levels by repetition rate (IEC "
        "61000-4-15 Pst = 1 curve x 0.8). Loss of the campus: POI voltage from the power "
        "flow without it; frequency df = dP / beta (NERC Frequency Response Annual "
        "Analysis).",
    ),
    (
        "Storage",
        "Battery sized by a first-order low-pass filter whose time constant holds the "
        "grid-side swing under the planning-level swing; power = largest battery power, "
        "energy = largest state-of-charge excursion / usable fraction.",
    ),
    (
        "On-site generation and air permits",
        "Fuel = energy x heat rate (LHV x HHV/LHV); tons = fuel x factor / 2000. Factors: "
        "EPA AP-42 section 3.1 Table 3.1-1 by combustor/control (NOx, CO), Table 3.1-2a "
        "(VOC, PM = PM10 = PM2.5, SO2, CO2, CH4, N2O), Table 3.1-3 (formaldehyde, HAP); "
        "concentrations (SCR 2 ppm NOx, oxidation catalyst 4 ppm CO, or the case's "
        "guarantees) converted by EPA Method 19 with Fd = 8,710 dscf/MMBtu. CO2e with the "
        "40 CFR 98 Table A-1 GWPs. Scenarios: as permitted (potential to emit at the "
        "permitted hours), backup (the fleet holds grid import to the N-1 hosting capacity in "
        "the hours the hourly N-0/N-1 study fails), interim prime power (the case's interim "
        "fleet above its grid supply, no add-on controls unless stated), mitigated (SCR + "
        "oxidation catalyst). Limits: the case's permit caps, Title V (40 CFR 70.2), PSD "
        "(40 CFR 52.21), HAP major source (CAA 112). Mass emissions only: no dispersion.",
    ),
)

LIMITATIONS: tuple[str, ...] = (
    "The network is representative, not the utility's model: real MLGW/TVA models are "
    "confidential (CEII). Results show orders of magnitude and the mechanism; they do not "
    "replace the utility's interconnection study.",
    "Facts about Colossus come from public reporting; values marked 'estimate' in the "
    "assumptions table are engineering judgement.",
    "Tap changers and switched shunts are held at their set points; no operator "
    "re-dispatch beyond the generators' participation factors.",
    "The hourly IT profile is a two-level schedule (peak draw, weekly idle window); "
    "sub-hourly training swings are studied separately over a sampled window.",
    "Weather is a synthetic typical year unless the case names an EPW file; it reproduces "
    "the ASHRAE design conditions, not a particular year.",
    "Air emissions are mass emissions (tons a year): no dispersion modelling.",
)
"""Limitations that hold for every case; the case-specific ones (contingency set, rating
basis, dynamics) are written from the study basis by ``narrative.limitations``."""
