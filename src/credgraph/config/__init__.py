"""Configuration: sources.toml (crawler settings and sources)."""

from credgraph.config.sources import Config, CrawlerSettings, load_config, parse_config

__all__ = ["Config", "CrawlerSettings", "load_config", "parse_config"]
