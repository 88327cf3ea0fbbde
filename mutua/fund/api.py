"""API endpoints of the fund app, mounted under /api/v1/ by mutua.api.api."""

from ninja import Router

router = Router(tags=["fund"])
