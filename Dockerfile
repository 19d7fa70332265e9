# Container for running the workflow's jobs where the scheduler wants an image (Kubernetes,
# Google Batch, or SLURM with Apptainer): the project and its pinned stack, nothing else.
#   docker build -t deprivation-geo .
#   apptainer build deprivation-geo.sif docker-daemon://deprivation-geo:latest
# The data mirror is not in the image: mount it and point config `mirror` at it (or let the
# retrieval layer download from the official URLs).
FROM python:3.11-slim-bookworm
WORKDIR /work/project
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir ".[cluster]"
COPY . .
ENV MPLCONFIGDIR=/tmp/matplotlib
CMD ["snakemake", "--help"]
