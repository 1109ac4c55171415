"""Time-domain dynamics and small-signal modes on ANDES (issue 12).

The engine (ANDES, symbolic-numeric power system dynamics) stays inside this
package: the rest of gridimpact sees plain dataclasses and DataFrames.
"""
