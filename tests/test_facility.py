"""Facility power at the POI: hand calculations of the electrical chain."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gridimpact.facility.power import (
    facility_power_mw,
    power_usage_effectiveness,
    reactive_power_mvar,
    ups_loss_mw,
)


def test_facility_power_hand_calculation() -> None:
    # (100 / 0.97 + 12 + 1) / 0.99 = (103.0928 + 13) / 0.99 = 117.2654 MW
    p = facility_power_mw(100.0, 12.0, 1.0, 0.97, 0.99)
    assert p == pytest.approx((100 / 0.97 + 13.0) / 0.99, rel=1e-12)
    assert p == pytest.approx(117.2655, abs=1e-4)


def test_ups_loss() -> None:
    # 100 MW through a 97 % UPS loses 100/0.97 - 100 = 3.0928 MW
    assert ups_loss_mw(100.0, 0.97) == pytest.approx(3.0928, abs=1e-4)


def test_reactive_power_at_pf_098() -> None:
    # tan(acos(0.98)) = sqrt(1 - 0.98^2) / 0.98 = 0.203061
    q = reactive_power_mvar(np.array([100.0]), 0.98)
    assert q[0] == pytest.approx(100 * math.sqrt(1 - 0.98**2) / 0.98, rel=1e-12)
    assert reactive_power_mvar(10.0, 1.0) == pytest.approx(0.0, abs=1e-12)


def test_pue_definition() -> None:
    # ISO/IEC 30134-2: PUE = facility energy / IT energy
    assert power_usage_effectiveness(1200.0, 1000.0) == pytest.approx(1.2)
