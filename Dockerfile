# credgraph in one image: the API (`credgraph serve`, the default command) and the scheduler
# (`credgraph scheduler`). docker-compose.yml runs both against Neo4j.
#   docker build -t credgraph .
#   docker run --rm -p 8000:8000 -v credgraph-data:/data credgraph     # SQLite in the volume
#   docker run --rm -p 8000:8000 -e CREDGRAPH_STORE=bolt://neo4j:secret@db:7687 credgraph
# Reproducible: an exact base image and the hash-pinned requirements.lock (the same versions
# the tests ran with; its runtime part only, without the test tools); the package itself is
# installed without resolving anything again.

FROM python:3.11.11-slim-bookworm AS build
WORKDIR /src
COPY requirements.lock pyproject.toml ./
COPY tools/runtime_requirements.py ./tools/
RUN python tools/runtime_requirements.py requirements.lock pyproject.toml > runtime.lock \
 && python -m venv /opt/credgraph \
 && /opt/credgraph/bin/pip install --no-cache-dir --require-hashes -r runtime.lock
# pyproject names README.md as the package's long description, so the build needs it.
COPY README.md ./
COPY src ./src
RUN /opt/credgraph/bin/pip install --no-cache-dir --no-deps .

FROM python:3.11.11-slim-bookworm
RUN useradd --create-home --uid 10001 credgraph \
 && mkdir /data && chown credgraph /data
COPY --from=build /opt/credgraph /opt/credgraph
ENV PATH=/opt/credgraph/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    CREDGRAPH_STORE=sqlite:////data/credgraph.db
# Without a Neo4j URL the graph is SQLite in /data: a volume, so it outlives the container.
VOLUME ["/data"]
USER credgraph
WORKDIR /home/credgraph
# 8000: the API; 9100: the scheduler's Prometheus metrics
EXPOSE 8000 9100
ENTRYPOINT ["credgraph"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
