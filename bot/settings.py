"""The one Settings object, read from the environment (and .env) at the edge, then passed down."""

from __future__ import annotations

import re
import zoneinfo
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from retrieval import DEFAULT_DENSE_MODE, DEFAULT_EMBEDDING_MODEL, DenseMode, EngineConfig, FetchPolicy


class Settings(BaseSettings):
    """Every setting Sondhani reads; `.env.example` documents each one (a test checks that)."""

    model_config = SettingsConfigDict(
        env_prefix="SONDHANI_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # Corpus, state and retrieval
    data_dir: Path = Path("data/articles")
    state_dir: Path = Path("data/state")
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    dense: DenseMode = DEFAULT_DENSE_MODE
    embedding_threads: int = Field(default=EngineConfig.embedding_threads, ge=1, le=64)
    embedding_device: str = EngineConfig.embedding_device
    hub_offline: bool = Field(
        default=EngineConfig.hub_offline, validation_alias=AliasChoices("HF_HUB_OFFLINE", "SONDHANI_HUB_OFFLINE")
    )
    chroma_url: str | None = EngineConfig.chroma_url

    # Telegram
    telegram_bot_token: str | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "SONDHANI_TELEGRAM_BOT_TOKEN")
    )
    telegram_api_url: str = "https://api.telegram.org"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str | None = None

    # Behaviour
    results_per_page: int = Field(default=3, ge=1, le=10)
    user_questions_per_minute: int = Field(default=10, ge=1)
    max_question_chars: int = Field(default=1000, ge=10)
    max_upload_bytes: int = Field(default=2_000_000, ge=1_000)
    history_days: float = Field(default=30, gt=0)  # questions, votes and audit rows older than this are deleted
    timezone: str = "Asia/Dhaka"
    language: Literal["bn", "en"] = "bn"  # of the command line's answers and labels (the bot follows each user)
    log_level: str = "INFO"

    # Adding articles from links (/add, `sondhani add`)
    fetch_allow_private: bool = False
    fetch_timeout_seconds: float = Field(default=15.0, gt=0, le=300)
    fetch_max_bytes: int = Field(default=5_000_000, ge=100_000)
    feeds: Annotated[tuple[str, ...], NoDecode] = ()
    feed_interval_minutes: int = Field(default=30, ge=1)
    feed_pages_per_host: int = Field(default=10, ge=1, le=1000)
    feed_host_delay_seconds: float = Field(default=2.0, ge=0, le=60)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        """Accept "123, 456" from the environment as well as a list."""
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError as exc:
                raise ValueError("SONDHANI_ADMIN_IDS must be comma-separated numeric Telegram user ids") from exc
        return value

    @field_validator("feeds", mode="before")
    @classmethod
    def _parse_feeds(cls, value: object) -> object:
        """Comma-separated http(s) feed URLs; a bad one is a configuration error at start."""
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, (list, tuple)):
            for url in value:
                if not re.match(r"https?://[^/\s]+", str(url), re.IGNORECASE):
                    raise ValueError(f"SONDHANI_FEEDS must be comma-separated http(s) URLs (got {url!r})")
            return tuple(str(url) for url in value)
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        """An IANA zone name zoneinfo can load here, so a typo fails at start, not at the first /stats."""
        name = value.strip()
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as exc:
            hint = "an IANA name such as Asia/Dhaka or Asia/Kolkata"
            if not zoneinfo.available_timezones():
                hint += " (no time zone data found: install the OS tzdata package or `pip install tzdata`)"
            raise ValueError(f"SONDHANI_TIMEZONE {name!r} is not a known time zone; use {hint}") from exc
        return name

    @field_validator("webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: str | None) -> str | None:
        """Telegram's setWebhook takes 1-256 of A-Z a-z 0-9 _ -; say so at start, not as a BadRequest later."""
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
            raise ValueError("SONDHANI_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and - only")
        return value

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        """One of logging's level names in any case, so a typo is one line at start, not a traceback."""
        levels, level = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), value.strip().upper()
        if level not in levels:
            raise ValueError(f"SONDHANI_LOG_LEVEL {value!r} is not one of {', '.join(levels)} (any case)")
        return level

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The zone of SONDHANI_TIMEZONE: day boundaries and times the bot shows are in it."""
        return zoneinfo.ZoneInfo(self.timezone)

    @field_validator("chroma_url", "webhook_url", "webhook_secret", "telegram_bot_token", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        """An empty line in .env means "not set"."""
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def bot_api_root(self) -> str:
        """The Bot API server (SONDHANI_TELEGRAM_API_URL without a trailing slash), as messages name it."""
        return self.telegram_api_url.rstrip("/")

    @property
    def bot_api_url(self) -> str:
        """Where Bot API methods are: the token, then "/getMe" and the like, follow (PTB's base_url)."""
        return f"{self.bot_api_root}/bot"

    @property
    def bot_file_url(self) -> str:
        """Where files are downloaded from: the token and the file path follow (PTB's base_file_url)."""
        return f"{self.bot_api_root}/file/bot"

    def fetch_policy(self) -> FetchPolicy:
        """How links are fetched: size and time limits, and whether private addresses may be reached."""
        return FetchPolicy(
            timeout=self.fetch_timeout_seconds,
            deadline=2 * self.fetch_timeout_seconds,
            max_bytes=self.fetch_max_bytes,
            allow_private=self.fetch_allow_private,
        )

    def engine_config(self) -> EngineConfig:
        """The retrieval library's view of these settings."""
        model = None if self.dense == "off" else self.embedding_model
        return EngineConfig(
            data_dir=self.data_dir,
            state_dir=self.state_dir,
            embedding_model=model,
            dense_mode=self.dense,
            chroma_url=self.chroma_url,
            embedding_threads=self.embedding_threads,
            embedding_device=self.embedding_device,
            hub_offline=self.hub_offline,
        )
