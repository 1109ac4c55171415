"""Weather: hourly dry-bulb, wet-bulb and humidity for a year, and ASHRAE design conditions.

Public API: :func:`load_weather`, :class:`Weather`, :class:`DesignConditions`.
"""

from gridimpact.weather.model import DesignConditions, Weather, load_weather

__all__ = ["DesignConditions", "Weather", "load_weather"]
