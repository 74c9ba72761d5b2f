"""Candles: synthetic samples, CSV readers and timeframe resampling."""

from ._sample import PANDAS_FREQUENCY, price_decimals, sample_candles

__all__ = ["PANDAS_FREQUENCY", "price_decimals", "sample_candles"]
