"""Resilience figures on output series whose answer is known."""

from __future__ import annotations

import math

import numpy as np
import pytest

from leadsim.core.resilience import shock_resilience


def test_triangle_drop_and_recovery():
    output = np.full(100, 10.0)
    output[40:50] = np.linspace(5.0, 9.5, 10)  # a V: down 50 %, back over ten days
    figures = shock_resilience(output, 40)
    assert figures["baseline"] == 10.0
    assert figures["depth"] == pytest.approx(0.5)
    assert figures["loss"] == pytest.approx(np.sum(1 - output[40:50] / 10.0))
    assert figures["index"] == pytest.approx(1 - figures["loss"] / 60)
    assert figures["recovery_days"] == 9.0  # output is back at >= 95 % from day 49 on


def test_no_recovery_when_output_stays_low():
    output = np.concatenate([np.full(50, 10.0), np.full(50, 8.0)])
    assert math.isnan(shock_resilience(output, 50)["recovery_days"])


def test_a_firm_that_fails_inside_the_window_has_not_recovered():
    output = np.concatenate([np.full(50, 10.0), np.full(20, 10.0), np.zeros(30)])
    figures = shock_resilience(output, 50, failed_day=69)
    assert figures["depth"] == 1.0
    assert math.isnan(figures["recovery_days"])


def test_next_shock_closes_the_window():
    output = np.concatenate([np.full(50, 10.0), np.full(10, 5.0), np.full(40, 10.0)])
    assert shock_resilience(output, 50, next_day=55)["window"] == 5
