"""The IVR's default holiday calendar: the core business calendar (`hotline.core.calendar`).

`ChineseHolidayCalendar()` is `BusinessCalendar()`: days off by the State Council's
yearly notice, from `chinesecalendar` — holidays and weekends, minus 调休. A weekend day
made a working day (调休, e.g. Sunday 2025-09-28) is not a holiday; a statutory holiday
(2025-10-01) is. For a year the package has no data for, Saturday and Sunday are the
days off and nothing else is. Its `is_holiday` is the `HolidayCalendar` port.
"""

from __future__ import annotations

from hotline.core.calendar import BusinessCalendar

ChineseHolidayCalendar = BusinessCalendar

__all__ = ["ChineseHolidayCalendar"]
