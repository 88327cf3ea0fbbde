"""API endpoints of the expenses app, mounted under /api/v1/ by mutua.api.api."""

from ninja import Router

router = Router(tags=["expenses"])
