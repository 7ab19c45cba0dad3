# MLflow for compose.yaml: the version bin/stack installs (mlflow/requirements.txt), with the
# PostgreSQL and S3 clients that compose's backend and artifact stores need.
FROM python:3.11-slim
COPY mlflow/requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt psycopg2-binary boto3
USER nobody
