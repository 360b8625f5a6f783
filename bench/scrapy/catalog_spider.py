"""The Scrapy side of `bench/crawl_vs_scrapy.py`: the catalog's pages followed by `next`,
every badge written to a JSON-lines feed. Run by Scrapy (`scrapy runspider`), never imported
by credgraph. The wall-clock time of the first request goes to the file named by
`-a timing=PATH`; the crawl ends when the feed is last written (its modification time)."""

import json
import time

import scrapy


class CatalogSpider(scrapy.Spider):
    name = "catalog"
    custom_settings = {  # noqa: RUF012 (Scrapy reads it from the class)
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
    }

    def __init__(self, first: str, timing: str, **kwargs):
        super().__init__(**kwargs)
        self.first = first
        self.timing = timing

    async def start(self):
        with open(self.timing, "w") as out:
            json.dump({"began": time.time()}, out)
        yield scrapy.Request(self.first)

    def parse(self, response):
        page = json.loads(response.body)
        yield from page["badges"]
        if page.get("next"):
            yield response.follow(page["next"])
