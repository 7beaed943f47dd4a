"""Every setting of the product, read from the environment once (see README and .env.example)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, FilePath, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.keys import ID_PATTERN

PRODUCTION_REQUIRED = ("SECRET_KEY", "WEBHOOK_SECRET", "REDIS_URL", "DASHBOARD_USERS")


class ConfigurationError(RuntimeError):
    """The app cannot start with these settings; the message says what to set."""


class Settings(BaseSettings):
    """Typed settings; environment variables use the upper-case field name."""

    # A .env file in the working directory is read too (see .env.example); real environment
    # variables win over it.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    app_env: Literal["development", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = Field(8050, ge=1, le=65535)

    redis_url: str | None = None
    data_dir: Path = Path("data")
    # Issue #15: REDIS_URL names a Redis Cluster node (also implied by a redis+cluster:// URL).
    redis_cluster: bool = False
    # Redis over TLS (a rediss:// or rediss+cluster:// URL) verifies the server's certificate
    # against the system's CAs, or the CA file REDIS_CA_CERT; REDIS_TLS_VERIFY=0 (an explicit
    # opt-in, logged) skips the check for a PaaS Redis with self-signed certificates (Heroku).
    redis_ca_cert: FilePath | None = None
    redis_tls_verify: bool = True

    secret_key: str | None = None
    webhook_secret: str | None = None
    ghl_webhook_public_key: str | None = None
    webhook_max_age_seconds: int = Field(300, ge=1)
    dashboard_users: str | None = None
    # Issue #15: GoHighLevel locations (sub-accounts) by name, "id=Name,id2=Name2"; a location
    # without a name shows its id.
    locations: str = ""

    buyer_name: str = "Jorge"
    offer_percent: float = Field(75, gt=0, le=100)
    buy_box_min: int = Field(200_000, ge=0)
    buy_box_max: int = Field(800_000, ge=0)
    commission_rate: float = Field(0.06, ge=0, le=1)
    timezone: str = "America/Los_Angeles"
    business_hours_start: int = Field(9, ge=0, le=23)
    business_hours_end: int = Field(17, ge=1, le=24)

    conversation_ttl_seconds: int = Field(7 * 24 * 3600, ge=1)
    bucket_retention_seconds: int = Field(8 * 24 * 3600, ge=3600)
    stalled_after_seconds: int = Field(48 * 3600, ge=1)
    max_body_bytes: int = Field(64 * 1024, ge=1024)
    webhook_rate_limit: str = "600/minute"

    cache_kpi_seconds: int = Field(30, ge=0)
    cache_distribution_seconds: int = Field(300, ge=0)
    cache_trend_seconds: int = Field(3600, ge=0)
    refresh_interval_seconds: int = Field(30, ge=0)

    # Issue #12: appointment slots and the answers to sellers' common questions
    # (docs/seller-questions.md; {buyer} and {percent} are filled in).
    appointment_capacity: int = Field(1, ge=1)
    appointment_days_ahead: int = Field(7, ge=1, le=60)
    answer_who_is_this: str = (
        "I'm {buyer}'s assistant. {buyer} is a local cash home buyer here in the Inland Empire.")
    answer_how_got_number: str = (
        "Your number came from public property records or a mailer you answered. If you'd "
        "rather not get texts, just reply STOP.")
    answer_cash_or_financing: str = (
        "It's all cash: no bank loan, so there's no financing that could fall through.")
    answer_closing_costs: str = (
        "{buyer} pays the normal closing costs, and you pay no commissions or agent fees.")
    answer_how_fast_close: str = (
        "{buyer} can close in as little as 7 to 14 days, or on the date you pick.")
    answer_how_offer_computed: str = (
        "The offer is about {percent}% of the price you have in mind: it covers repairs and "
        "holding costs, and you sell as-is with no fees.")
    answer_are_you_agent: str = (
        "No, {buyer} isn't an agent and buys houses directly: no listing, no commission.")
    answer_who_is_this_es: str = (
        "Soy asistente de {buyer}. {buyer} compra casas al contado aquí en el Inland Empire.")
    answer_how_got_number_es: str = (
        "Su número viene de registros públicos de propiedades o de un anuncio que contestó. "
        "Si prefiere no recibir mensajes, responda ALTO.")
    answer_cash_or_financing_es: str = (
        "Es todo al contado: sin préstamo bancario que se pueda caer.")
    answer_closing_costs_es: str = (
        "{buyer} paga los costos normales de cierre, y usted no paga comisiones.")
    answer_how_fast_close_es: str = (
        "{buyer} puede cerrar en 7 a 14 días, o en la fecha que usted elija.")
    answer_how_offer_computed_es: str = (
        "La oferta es más o menos el {percent}% del precio que usted pide: cubre reparaciones "
        "y gastos, y usted vende la casa como está, sin comisiones.")
    answer_are_you_agent_es: str = (
        "No, {buyer} no es agente: compra casas directamente, sin comisiones.")

    # GoHighLevel two-way (issue #11): outbox, relay, API client, signatures, CRM, calendar.
    ghl_api_token: str | None = None
    ghl_api_base: str = "https://services.leadconnectorhq.com"
    ghl_version_conversations: str = "2021-04-15"
    ghl_version_contacts: str = "2021-07-28"
    ghl_version_calendars: str = "2021-04-15"
    ghl_version_locations: str = "2021-07-28"
    ghl_timeout_seconds: float = Field(10.0, gt=0)
    ghl_max_connections: int = Field(20, ge=1)
    ghl_max_attempts: int = Field(6, ge=1)
    ghl_retry_base_seconds: float = Field(1.0, gt=0)
    ghl_retry_max_seconds: float = Field(300.0, gt=0)
    ghl_burst_limit: int = Field(100, ge=1)
    ghl_burst_window_seconds: float = Field(10.0, gt=0)
    ghl_reply_reserve: int = Field(20, ge=0)
    ghl_calendar_id: str | None = None
    ghl_calendar_days: int = Field(7, ge=1, le=31)
    ghl_webhook_ed25519_public_key: str | None = None
    human_takeover_tag: str = "Jorge-Active"
    ghl_custom_fields: str = (
        "condition=seller_condition,price_expectation=seller_asking_price,"
        "motivation=seller_motivation,timeline_days=seller_timeline_days,"
        "lead_score=seller_lead_score,offer_amount=seller_offer_amount")
    relay_poll_seconds: float = Field(0.1, gt=0)
    relay_batch: int = Field(100, ge=1)
    relay_concurrency: int = Field(8, ge=1)
    relay_claim_idle_seconds: float = Field(30.0, gt=0)
    relay_sent_marker_seconds: int = Field(7 * 24 * 3600, ge=60)


    # Hardening (issue #13): slow clients, suppression records, sessions, proxies, login limits,
    # transcript cap.
    body_read_timeout_seconds: float = Field(10, gt=0)
    suppression_key: str | None = None
    session_idle_seconds: int = Field(12 * 3600, ge=60)
    session_absolute_seconds: int = Field(7 * 24 * 3600, ge=60)
    trusted_proxy_hops: int = Field(0, ge=0, le=5)
    login_rate_limit_ip: str = "10/minute"
    login_rate_limit_account: str = "20/hour"
    transcript_max_messages: int = Field(200, ge=10)
    transcript_max_bytes: int = Field(256 * 1024, ge=4096)

    @field_validator("redis_url", "redis_ca_cert", "secret_key", "webhook_secret",
                     "ghl_webhook_public_key", "dashboard_users", "ghl_api_token",
                     "ghl_calendar_id", "ghl_webhook_ed25519_public_key", "suppression_key",
                     mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("locations")
    @classmethod
    def _location_ids(cls, value: str) -> str:
        for item in value.split(","):
            location_id = item.partition("=")[0].strip()
            if item.strip() and not ID_PATTERN.match(location_id):
                raise ValueError(f"LOCATIONS: {location_id!r} is not a location id "
                                 "(letters, digits, '_', '.', '-'); write id=Name,id2=Name2")
        return value

    @property
    def production(self) -> bool:
        return self.app_env == "production"

    @cached_property
    def sweep_margin_seconds(self) -> int:
        """How long before its TTL an idle conversation is retired (its aggregates first)."""
        return max(1, min(600, self.conversation_ttl_seconds // 10))

    @property
    def outbox_enabled(self) -> bool:
        """Replies go out through GoHighLevel only with an API token."""
        return self.ghl_api_token is not None

    @cached_property
    def custom_field_keys(self) -> dict[str, str]:
        """Conversation field -> GoHighLevel custom field key (GHL_CUSTOM_FIELDS)."""
        pairs = (item.split("=", 1) for item in self.ghl_custom_fields.split(",") if "=" in item)
        return {name.strip(): key.strip() for name, key in pairs if name.strip() and key.strip()}

    @cached_property
    def location_names(self) -> dict[str, str]:
        """Location id -> display name (LOCATIONS); an entry without "=" names the id alone."""
        names: dict[str, str] = {}
        for item in self.locations.split(","):
            location_id, _, name = item.partition("=")
            if location_id.strip():
                names[location_id.strip()] = name.strip() or location_id.strip()
        return names

    def missing_for_production(self) -> list[str]:
        """Names of the settings production mode requires but that are unset."""
        return [name for name in PRODUCTION_REQUIRED if not getattr(self, name.lower())]
