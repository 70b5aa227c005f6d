"""The work orders' business calendar is the core one (`hotline.core.calendar`): working
days on China's calendar, working hours, windows and deadline arithmetic. Build it for an
``orders.yaml`` with `OrderConfig.calendar()`; the names below are kept for the modules
that import them from here."""

from __future__ import annotations

from hotline.core.calendar import CALENDAR_UNITS as CALENDAR_UNITS
from hotline.core.calendar import MAX_DAYS as MAX_DAYS
from hotline.core.calendar import BusinessCalendar as BusinessCalendar
from hotline.core.calendar import china_workday as china_workday
