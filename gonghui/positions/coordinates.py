"""Coordinates: WGS-84 (stored), GCJ-02 (AMap, Tencent) and BD-09 (Baidu); distances and bearings.

GCJ-02 and BD-09 are published only as forward transforms from WGS-84 (resp. GCJ-02). Their
inverses here iterate the forward transform (fixed-point on the offset), which converges to well
under a centimetre in a few steps inside China, where the closed-form "subtract the offset once"
inverse is off by metres. Outside mainland China GCJ-02 is WGS-84 unchanged, as the map services do.
"""

import math
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

WGS84, GCJ02, BD09 = "wgs84", "gcj02", "bd09"
SYSTEMS = [
    (WGS84, gettext_lazy("WGS-84 (GPS, phone location)")),
    (GCJ02, gettext_lazy("GCJ-02 (AMap, Tencent Maps)")),
    (BD09, gettext_lazy("BD-09 (Baidu Maps)")),
]

EARTH_RADIUS_M = 6371008.8
_A = 6378245.0                     # Krasovsky 1940 semi-major axis, as GCJ-02 uses
_EE = 0.00669342162296594323       # its first eccentricity squared
_X_PI = math.pi * 3000.0 / 180.0

# Mainland China's bounding box (with a margin): Mohe 53.56°N, Zengmu Reef 3.86°N, the Pamirs
# 73.5°E, Fuyuan 135.1°E. A coarse test; the precise border is not needed to refuse a typo.
CHINA_LAT = (3.8, 53.6)
CHINA_LNG = (73.4, 135.1)


def in_china(lat: float, lng: float) -> bool:
    return CHINA_LAT[0] <= lat <= CHINA_LAT[1] and CHINA_LNG[0] <= lng <= CHINA_LNG[1]


def _offset_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _offset_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    if not in_china(lat, lng):
        return lat, lng
    d_lat = _offset_lat(lng - 105.0, lat - 35.0)
    d_lng = _offset_lng(lng - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lat + d_lat, lng + d_lng


def gcj02_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def wgs84_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lng))


def _invert(forward: Callable[[float, float], tuple[float, float]], lat: float, lng: float) -> tuple[float, float]:
    """The point p with forward(p) == (lat, lng), by fixed-point iteration on the offset."""
    guess_lat, guess_lng = lat, lng
    for _step in range(30):
        f_lat, f_lng = forward(guess_lat, guess_lng)
        d_lat, d_lng = lat - f_lat, lng - f_lng
        guess_lat += d_lat
        guess_lng += d_lng
        if abs(d_lat) < 1e-10 and abs(d_lng) < 1e-10:
            break
    return guess_lat, guess_lng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    if not in_china(lat, lng):
        return lat, lng
    return _invert(wgs84_to_gcj02, lat, lng)


def bd09_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    return _invert(gcj02_to_bd09, lat, lng)


def bd09_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    return _invert(wgs84_to_bd09, lat, lng)


def for_tiles(lat: float, lng: float) -> tuple[float, float]:
    """Where a stored (WGS-84) point is drawn on the configured map tiles (settings.GONGHUI_MAP_TILE_SYSTEM)."""
    from django.conf import settings

    if settings.GONGHUI_MAP_TILE_SYSTEM == GCJ02:
        return wgs84_to_gcj02(lat, lng)
    if settings.GONGHUI_MAP_TILE_SYSTEM == BD09:
        return wgs84_to_bd09(lat, lng)
    return lat, lng


_TO_WGS84 = {WGS84: lambda lat, lng: (lat, lng), GCJ02: gcj02_to_wgs84, BD09: bd09_to_wgs84}


def to_wgs84(lat: float, lng: float, system: str = WGS84) -> tuple[float, float]:
    return _TO_WGS84[system](lat, lng)


CELL_DEG = 0.1  # about 11 km north-south
_CELLS_PER_ROW = 4000


def cell_of(lat: float, lng: float) -> int:
    """The grid square of a point: squares of 0.1° numbered row by row from (-90, -180)."""
    return int((float(lat) + 90) / CELL_DEG) * _CELLS_PER_ROW + int((float(lng) + 180) / CELL_DEG)


def cells_covering(lat_min: float, lat_max: float, lng_min: float, lng_max: float) -> list[int]:
    rows = range(int((lat_min + 90) / CELL_DEG), int((lat_max + 90) / CELL_DEG) + 1)
    cols = range(int((lng_min + 180) / CELL_DEG), int((lng_max + 180) / CELL_DEG) + 1)
    return [r * _CELLS_PER_ROW + c for r in rows for c in cols]


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    d_lat, d_lng = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(d_lat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(d_lng / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def bearing_deg(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Initial bearing from point 1 to point 2, degrees clockwise from north."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    d_lng = math.radians(lng2 - lng1)
    y = math.sin(d_lng) * math.cos(p2)
    x = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(d_lng)
    return (math.degrees(math.atan2(y, x)) + 360.0) % 360.0


def compass(bearing: float) -> str:
    """Eight-point compass word in the user's language: 北, 东北, 东 …"""
    words = [_("north"), _("northeast"), _("east"), _("southeast"), _("south"), _("southwest"), _("west"),
             _("northwest")]
    return words[int((bearing + 22.5) // 45) % 8]


def format_distance(metres: float) -> str:
    if metres < 1000:
        return f"{max(10, round(metres / 10) * 10):.0f} m"
    return f"{metres / 1000:.1f} km"


_SIX = Decimal("0.000001")


def quantize(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(_SIX, rounding=ROUND_HALF_EVEN)


def clean_point(lat, lng, system: str = WGS84) -> tuple[Decimal, Decimal]:
    """Parse, check and convert a typed point to WGS-84 decimals.

    Refuses non-numbers, points outside mainland China, and says so when latitude and longitude
    were clearly swapped (a Chinese longitude typed as latitude is out of range the other way)."""
    try:
        lat_f, lng_f = float(str(lat).strip()), float(str(lng).strip())
    except (TypeError, ValueError):
        raise ValidationError(_("Latitude and longitude must be numbers in degrees, e.g. 30.8712 and 119.9433."),
                              code="coordinates_not_numbers") from None
    if not (math.isfinite(lat_f) and math.isfinite(lng_f)):
        raise ValidationError(_("Latitude and longitude must be numbers in degrees, e.g. 30.8712 and 119.9433."),
                              code="coordinates_not_numbers")
    if system not in _TO_WGS84:
        raise ValidationError(_("Unknown coordinate system."), code="coordinate_system")
    if not in_china(lat_f, lng_f):
        if in_china(lng_f, lat_f):
            raise ValidationError(
                _("Latitude and longitude look swapped: in China the latitude is between 4 and 54 and the longitude "
                  "between 73 and 135. Enter %(lat)s as latitude and %(lng)s as longitude.")
                % {"lat": lng_f, "lng": lat_f}, code="coordinates_swapped")
        raise ValidationError(
            _("The point %(lat)s, %(lng)s is outside mainland China; check the latitude and longitude.")
            % {"lat": lat_f, "lng": lng_f}, code="coordinates_outside_china")
    w_lat, w_lng = to_wgs84(lat_f, lng_f, system)
    return quantize(w_lat), quantize(w_lng)
