"""API endpoints of the governance app, mounted under /api/v1/ by mutua.api.api."""

from ninja import Router

router = Router(tags=["governance"])
