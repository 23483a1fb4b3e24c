"""Exponential smoothing (statsmodels' Holt-Winters) for weekly demand, beside the
seasonal-naive forecast every forecast should beat, and a backtest that fits on the weeks
before a cut and scores only the held-out weeks after it."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SEASON = 52  # weeks
HORIZON = 8  # weeks
SHORTEST_FOR_TREND = 10  # weeks of history before a trend is fitted at all


def forecast(history: Sequence[float], horizon: int = HORIZON) -> list[float]:
    """The next `horizon` weeks. With two years of history the model has a yearly season;
    with less, a damped trend (a season cannot be estimated from one of itself)."""
    y = np.asarray(history, dtype=float)
    if len(y) < SHORTEST_FOR_TREND or not y.any():
        level = float(y[-4:].mean()) if len(y) else 0.0
        return [level] * horizon
    from statsmodels.tsa.holtwinters import ExponentialSmoothing  # slow import, once

    seasonal = len(y) >= 2 * SEASON
    model = ExponentialSmoothing(
        y,
        trend="add",
        damped_trend=True,
        seasonal="add" if seasonal else None,
        seasonal_periods=SEASON if seasonal else None,
        initialization_method="estimated",
    )
    with warnings.catch_warnings():
        # statsmodels warns when its optimiser stops early; the fit is still usable
        warnings.simplefilter("ignore")
        fitted = model.fit(optimized=True)
    return [max(0.0, float(v)) for v in fitted.forecast(horizon)]


def seasonal_naive(history: Sequence[float], horizon: int = HORIZON) -> list[float]:
    """Each week as the same week a year before; with under a year, the last week."""
    y = list(history)
    if len(y) >= SEASON:
        return [float(y[len(y) - SEASON + (h % SEASON)]) for h in range(horizon)]
    return [float(y[-1]) if y else 0.0] * horizon


@dataclass(frozen=True)
class Backtest:
    held_out_weeks: int
    model_mae: float
    baseline_mae: float
    model_wape: float | None  # weighted absolute percentage error; None when nothing sold
    baseline_wape: float | None


def backtest(history: Sequence[float], horizon: int = HORIZON) -> Backtest | None:
    """Fit on all but the last `horizon` weeks, forecast them, and compare with what
    happened. The held-out weeks are never seen by either forecast."""
    if len(history) < horizon + SHORTEST_FOR_TREND:
        return None
    seen, held_out = list(history[:-horizon]), np.asarray(history[-horizon:], dtype=float)
    model_error = np.abs(np.asarray(forecast(seen, horizon)) - held_out)
    baseline_error = np.abs(np.asarray(seasonal_naive(seen, horizon)) - held_out)
    actual = held_out.sum()
    return Backtest(
        held_out_weeks=horizon,
        model_mae=float(model_error.mean()),
        baseline_mae=float(baseline_error.mean()),
        model_wape=float(model_error.sum() / actual) if actual else None,
        baseline_wape=float(baseline_error.sum() / actual) if actual else None,
    )
