"""Weekly demand forecasts and their honest backtest; plain lists in, plain data out, no
Django (see README.md beside this file)."""

from analytics.forecasting.model import Backtest, backtest, forecast, seasonal_naive

__all__ = ["Backtest", "backtest", "forecast", "seasonal_naive"]
