"""Support hours as the customer reads them: the brand's regional hours, in the
customer's own time zone when their locale names a country.

    local_hours(kb.region_for("pt"), "pt-BR")   # 09:00–21:00 (São Paulo), not New York

A customer in Brazil served by the Americas team (New York) sees the same opening hours
converted to São Paulo time. When the conversion would move the hours across midnight
(a different weekday), the region's own hours and city are shown instead.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from assistant.knowledge.models import SupportHours

#: Country of a locale (pt-BR -> BR) -> the time zone most of its customers live in.
COUNTRY_ZONES: dict[str, str] = {
    "US": "America/New_York", "CA": "America/Toronto", "MX": "America/Mexico_City",
    "BR": "America/Sao_Paulo", "AR": "America/Argentina/Buenos_Aires",
    "CO": "America/Bogota", "CL": "America/Santiago", "PE": "America/Lima",
    "VE": "America/Caracas", "GB": "Europe/London", "IE": "Europe/Dublin",
    "ES": "Europe/Madrid", "PT": "Europe/Lisbon", "FR": "Europe/Paris",
    "BE": "Europe/Brussels", "CH": "Europe/Zurich", "DE": "Europe/Berlin",
    "AT": "Europe/Vienna", "NL": "Europe/Amsterdam", "IT": "Europe/Rome",
    "AM": "Asia/Yerevan", "AE": "Asia/Dubai", "SA": "Asia/Riyadh", "EG": "Africa/Cairo",
    "JO": "Asia/Amman", "MA": "Africa/Casablanca", "IN": "Asia/Kolkata",
    "BD": "Asia/Dhaka", "PK": "Asia/Karachi", "MY": "Asia/Kuala_Lumpur",
    "SG": "Asia/Singapore", "ID": "Asia/Jakarta", "PH": "Asia/Manila",
    "JP": "Asia/Tokyo", "CN": "Asia/Shanghai", "TW": "Asia/Taipei",
    "HK": "Asia/Hong_Kong", "AU": "Australia/Sydney", "NZ": "Pacific/Auckland",
}  # fmt: skip
#: Display names of cities whose zone id is not how people write them.
CITY_NAMES = {"Sao_Paulo": "São Paulo"}


def customer_zone(locale: str | None) -> str | None:
    """The time zone of a locale's country ("pt-BR" -> America/Sao_Paulo), or None."""
    if not locale:
        return None
    parts = locale.replace("_", "-").split("-")
    country = parts[-1].upper() if len(parts) > 1 else ""
    return COUNTRY_ZONES.get(country)


def city(zone: str) -> str:
    name = zone.split("/")[-1]
    return CITY_NAMES.get(name, name.replace("_", " "))


def local_hours(
    hours: SupportHours, locale: str | None, home_country: str | None = None
) -> SupportHours:
    """`hours` moved into the customer's time zone, when their locale names one (else the
    language's `home_country`, from its locale pack) and the hours stay on the same
    weekdays there; otherwise `hours` unchanged."""
    zone = customer_zone(locale) or (COUNTRY_ZONES.get(home_country) if home_country else None)
    if zone is None or zone == hours.timezone:
        return hours
    opens, closes = _shifted(hours, hours.open, zone), _shifted(hours, hours.close, zone)
    if opens is None or closes is None or closes <= opens:
        return hours
    return hours.model_copy(update={"timezone": zone, "open": opens, "close": closes})


def _shifted(hours: SupportHours, clock: str, zone: str) -> str | None:
    """`clock` (HH:MM in the region) in `zone` on a reference Wednesday; None when it
    lands on another day."""
    day = dt.date(2026, 3, 4)
    hour, minute = (int(x) for x in clock.split(":"))
    start = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(hours.timezone))
    there = start.astimezone(ZoneInfo(zone))
    return there.strftime("%H:%M") if there.date() == day else None
