"""The forecaster and its backtest: the backtest sees only the weeks before its cut, and
the baseline is the seasonal-naive forecast computed as defined."""

from __future__ import annotations

import math

from analytics import forecasting


def seasonal_series(weeks: int) -> list[float]:
    return [100 + 2 * w + 30 * math.sin(2 * math.pi * w / 52) for w in range(weeks)]


def test_the_backtest_never_sees_the_held_out_weeks():
    history = seasonal_series(70)
    changed_future = history[:-8] + [v * 5 for v in history[-8:]]

    honest = forecasting.backtest(history)
    shocked = forecasting.backtest(changed_future)

    # the same forecasts were made (fitted on the same 62 weeks) ...
    assert honest.held_out_weeks == shocked.held_out_weeks == 8
    # ... and scored against different held-out weeks, so only the errors differ
    assert shocked.model_mae > honest.model_mae * 5
    forecast_from_seen = forecasting.forecast(history[:-8])
    expected_mae = (
        sum(abs(f - a) for f, a in zip(forecast_from_seen, history[-8:], strict=True)) / 8
    )
    assert abs(honest.model_mae - expected_mae) < 1e-9


def test_seasonal_naive_repeats_the_same_week_a_year_earlier():
    history = list(range(60))

    assert forecasting.seasonal_naive(history, 3) == [8.0, 9.0, 10.0]
    assert forecasting.seasonal_naive([5, 7], 2) == [7.0, 7.0]  # under a year: the last week


def test_a_trend_is_followed_and_nothing_negative_is_forecast():
    rising = [10 + 3 * w for w in range(30)]
    falling = [max(0, 100 - 8 * w) for w in range(30)]

    ahead = forecasting.forecast(rising)
    assert ahead[0] > rising[-1] - 3
    assert ahead == sorted(ahead)
    assert min(forecasting.forecast(falling)) >= 0


def test_too_short_a_history_has_no_backtest():
    assert forecasting.backtest([1, 2, 3]) is None
