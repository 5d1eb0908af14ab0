# One image for the worker, the notice delivery and the admin web app.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 INSPECTIONS_LOG_FORMAT=json INSPECTIONS_DATA_DIR=/var/lib/inspections
WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain domain
COPY workflows workflows
COPY activities activities
COPY notices notices
COPY store store
COPY admin admin
COPY runtime runtime
COPY worker.py ./
RUN pip install --no-cache-dir . && useradd --system --home /var/lib/inspections inspections \
    && mkdir -p /var/lib/inspections && chown inspections /var/lib/inspections
USER inspections
EXPOSE 8080
CMD ["inspections", "worker"]
