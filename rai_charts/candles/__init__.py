"""Candles: normalizing tables, reading CSV exports, resampling, and synthetic samples.

Every function returns candles in one shape: a DataFrame indexed by UTC time (named ``time``)
with float ``open``, ``high``, ``low``, ``close`` and, when known, ``volume``, sorted by time.
pandas and numpy load on first use.
"""

from ._normalize import CandleInput, normalize_candles
from ._readers import read_candles
from ._resample import TIMEFRAME_LENGTH, infer_timeframe, resample, resample_to_fit
from ._sample import PANDAS_FREQUENCY, price_decimals, sample_candles

__all__ = [
    "PANDAS_FREQUENCY",
    "TIMEFRAME_LENGTH",
    "CandleInput",
    "infer_timeframe",
    "normalize_candles",
    "price_decimals",
    "read_candles",
    "resample",
    "resample_to_fit",
    "sample_candles",
]
