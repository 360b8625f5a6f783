# credgraph in one image: the API (`credgraph serve`, the default command) and the scheduler
# (`credgraph scheduler`). docker-compose.yml runs both against Neo4j.
#   docker build -t credgraph .
#   docker run --rm -p 8000:8000 -e CREDGRAPH_STORE=bolt://neo4j:secret@db:7687 credgraph

FROM python:3.11-slim AS build
WORKDIR /src
# pyproject names README.md as the package's long description, so the build needs it.
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 credgraph
COPY --from=build /install /usr/local
USER credgraph
WORKDIR /home/credgraph
ENV PYTHONUNBUFFERED=1
# 8000: the API; 9100: the scheduler's Prometheus metrics
EXPOSE 8000 9100
ENTRYPOINT ["credgraph"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
