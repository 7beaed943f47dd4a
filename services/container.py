"""What the dashboard's callbacks may use, handed to them explicitly (never imported globals)."""

from __future__ import annotations

from dataclasses import dataclass

from core.redis_client import CANNOT_READ
from core.settings import Settings
from seller_bot.bot import SellerBot
from services.dashboard_data_service import DashboardDataService, DataUnavailable
from services.outbox_service import OutboxService

# A read that fails with one of these means "the store cannot be read right now".
UNAVAILABLE = (DataUnavailable, *CANNOT_READ)


@dataclass(frozen=True)
class Services:
    """The read side (``data``), the one write the dashboard makes (``bot``), and settings."""

    data: DashboardDataService
    bot: SellerBot
    settings: Settings
    outbox: OutboxService | None = None  # replies through GoHighLevel (dead letters, retry)
