# faqbot's web server (`faqbot serve`) in a container: the wheel installed in a venv on a slim Python, run as a
# non-root user, with a HEALTHCHECK on /healthz. Build with `make image`; README.md "Deploying" says how to run it.
# BASE is any Debian-like image with Python 3.11+ (python3, its venv module, useradd).
ARG BASE=python:3.11-slim

FROM ${BASE} AS build
RUN python3 -m venv /opt/faqbot
COPY pyproject.toml README.md LICENSE /src/
COPY faqbot /src/faqbot
COPY adapters /src/adapters
COPY corpus /src/corpus
# Runtime dependencies only (no dev extra); the bundled corpus lands in /opt/faqbot/share/faqbot/corpus.
RUN /opt/faqbot/bin/python -m pip install --no-cache-dir --disable-pip-version-check --quiet /src

FROM ${BASE}
RUN useradd --uid 10001 --user-group --create-home --home-dir /var/lib/faqbot faqbot
COPY --from=build /opt/faqbot /opt/faqbot
USER faqbot
WORKDIR /var/lib/faqbot
ENV PATH=/opt/faqbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    XDG_CACHE_HOME=/var/lib/faqbot/cache \
    XDG_DATA_HOME=/var/lib/faqbot/data \
    FAQBOT_HEALTHZ=http://127.0.0.1:8000/healthz
# Index and embed the bundled documents now, so a container started from this image answers within seconds.
RUN faqbot ask "does acupuncture hurt?" >/dev/null
EXPOSE 8000
# /healthz answers 200 once the documents are loaded; `faqbot slack --http` has one too (set FAQBOT_HEALTHZ to its
# port). Plain Python, because the slim base has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen(os.environ['FAQBOT_HEALTHZ'], timeout=4)"]
ENTRYPOINT ["faqbot"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
