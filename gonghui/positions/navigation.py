"""The "navigate" links of a station page: Amap and Tencent Maps take GCJ-02 coordinates, Baidu Maps
BD-09; positions are stored in WGS-84 (coordinates.py), so each link gets the point converted to the
system its app expects. The links are the apps' documented web URIs, which open the installed app
on a phone (or its web map) with a marker at the point."""

from urllib.parse import quote, urlencode

from .coordinates import wgs84_to_bd09, wgs84_to_gcj02


def navigation_links(*, lat: float, lng: float, name: str, address: str = "") -> list[tuple[str, str]]:
    """[(app name, URL)] for Amap (高德), Baidu and Tencent Maps, each at the point in its own system."""
    g_lat, g_lng = wgs84_to_gcj02(lat, lng)
    b_lat, b_lng = wgs84_to_bd09(lat, lng)
    amap = "https://uri.amap.com/marker?" + urlencode({
        "position": f"{g_lng:.6f},{g_lat:.6f}", "name": name, "src": "gonghui", "coordinate": "gaode",
        "callnative": "1"})
    baidu = "https://api.map.baidu.com/marker?" + urlencode({
        "location": f"{b_lat:.6f},{b_lng:.6f}", "title": name, "content": address or name, "output": "html",
        "coord_type": "bd09ll", "src": "gonghui"})
    marker = f"coord:{g_lat:.6f},{g_lng:.6f};title:{name};addr:{address or name}"
    tencent = f"https://apis.map.qq.com/uri/v1/marker?marker={quote(marker, safe=':,;')}&referer=gonghui"
    return [("高德地图", amap), ("百度地图", baidu), ("腾讯地图", tencent)]
