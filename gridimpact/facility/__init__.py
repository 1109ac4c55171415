"""Facility stage: campus power at the point of interconnection."""

from gridimpact.facility.load import FacilityLoad, compute_facility_load, electrical_loss_heat_mw

__all__ = ["FacilityLoad", "compute_facility_load", "electrical_loss_heat_mw"]
