"""The dynamics stage: sub-second campus waveform, POI power quality, load loss, storage.

Modules: ``power_quality`` (voltage change, planning levels, frequency), ``flicker``
(IEC 61000-4-15 flickermeter), ``storage`` (battery sizing), ``stage`` (the stage
function the orchestrator calls).
"""
