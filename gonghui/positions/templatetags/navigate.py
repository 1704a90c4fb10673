"""``{% navigate_links position %}``: buttons that open Amap, Baidu or Tencent Maps at the position."""

from django import template

from ..navigation import navigation_links

register = template.Library()


@register.inclusion_tag("positions/_navigate.html")
def navigate_links(position):
    if position.lat is None or position.lng is None:
        return {"links": []}
    return {"links": navigation_links(lat=float(position.lat), lng=float(position.lng), name=position.name,
                                      address=position.address or "")}
