"""Xinjiang geography: the bundled places and address resolution (`locate`, `find_places`)."""

from uflpa.geo.location import Location, PlaceMatch, Signal
from uflpa.geo.resolve import find_places, locate
from uflpa.reference.places import Place, load_places, place_by_code

__all__ = [
    "Location",
    "Place",
    "PlaceMatch",
    "Signal",
    "find_places",
    "load_places",
    "locate",
    "place_by_code",
]
