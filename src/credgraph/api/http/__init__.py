"""The HTTP layer of the API: one small module per concern, assembled by `credgraph.api.app`.

observe    request ids, access logs, HTTP metrics (outermost middleware)
cors       CORS allow-list
gate       API keys and per-key / per-IP rate limits (ratelimit: the token buckets)
graphql    /graphql GET and POST (params: reading requests; caching: ETag and 304;
           persisted: allow-list and automatic persisted queries)
health     /healthz
metrics    /metrics and store call timing
logs       text or JSON-lines log formatting
server_protocol  uvicorn's HTTP protocol with head size and head/body time limits
                 (server_limits: their defaults and ranges)
"""
