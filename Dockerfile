# hf-gguf-sync as a daemon: Quartz on SYNC_CRON, health and Prometheus metrics on MANAGEMENT_PORT, the catalog page
# and its JSON API on WEB_PORT (docs/browser.md).
# Build the jar first:  mvn -B package -DskipTests && docker build -t hf-gguf-sync .
# One sync and exit:    docker run --rm -v "$PWD/data:/data" hf-gguf-sync --once
FROM eclipse-temurin:17-jre

# A fixed numeric non-root user, so Kubernetes' runAsNonRoot can verify it and a bind-mounted ./data can be
# handed to it (chown 10001) or replaced by the caller's own uid (docker run --user, compose user:)
RUN groupadd --gid 10001 hfsync \
    && useradd --uid 10001 --gid hfsync --no-create-home --home-dir /app --shell /usr/sbin/nologin hfsync \
    && mkdir -p /data && chown hfsync:hfsync /data

# The app reads file:application.properties and file:routes/*.camel.yaml from its working directory,
# and the thin jar finds its dependencies in lib/ beside it (manifest Class-Path)
WORKDIR /app
# dependencies first: they change far less often than the application, so this layer stays cached
COPY target/lib/ lib/
# application.properties and routes/ are inside the jar; a file mounted at /app/application.properties (or a
# directory at /app/routes) overrides them
COPY target/hf-gguf-sync.jar ./

ENV DATA_DIR=/data \
    MANAGEMENT_HOST=0.0.0.0 \
    MANAGEMENT_PORT=9876 \
    WEB_HOST=0.0.0.0 \
    WEB_PORT=8080
VOLUME /data
EXPOSE 9876 8080
USER 10001:10001

# Healthy = every check UP, the last sync's included (last-sync: it succeeded, or none ran yet). The Temurin Ubuntu images ship curl (adoptium/containers
# installs it "for historical reasons"); an unhealthy container means "catalog is stale, read the log",
# not "restart me"
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${MANAGEMENT_PORT}/observe/health" > /dev/null || exit 1

# exec form: java is PID 1 and gets SIGTERM, so a running sync finishes or fails cleanly within
# camel.main.shutdown-timeout; arguments after the image name (--once, --demo) reach the application
ENTRYPOINT ["java", "-jar", "hf-gguf-sync.jar"]
