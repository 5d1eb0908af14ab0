"""The JSON API (docs/api.md) under ``/api/v1``: ``routes`` over the service layer, ``models`` its bodies."""

from admin.api.routes import router

__all__ = ["router"]
