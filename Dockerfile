# syntax=docker/dockerfile:1
# pbft-ledger container image: one image for every command (node, keygen, client, demo).
#   docker build -t pbft-ledger:local .
#   docker run --rm pbft-ledger:local --help

# ---- build stage: compile on the project's baseline JDK (17) with the Maven wrapper ----
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# the wrapper and pom first, so the dependency download is cached until pom.xml changes
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q dependency:go-offline
COPY src/ src/
# tests run in CI (./mvnw -B verify) before the image is built; here they would only repeat that
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests package \
 && java -Djarmode=tools -jar target/pbft-ledger.jar extract --layers --launcher --destination /layers

# ---- runtime stage: JRE 21, non-root, Spring Boot layers from least to most often changed ----
FROM eclipse-temurin:21-jre
ARG APP_UID=10001
# curl serves the health checks (image HEALTHCHECK, docker-compose, helm test)
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid ${APP_UID} ledger \
 && useradd --system --uid ${APP_UID} --gid ledger --home-dir /var/lib/pbft-ledger --shell /usr/sbin/nologin ledger \
 && mkdir -p /opt/pbft-ledger/app /var/lib/pbft-ledger/keys /var/lib/pbft-ledger/data \
 && chown -R ledger:ledger /var/lib/pbft-ledger
COPY --from=build /layers/dependencies/ /opt/pbft-ledger/app/
COPY --from=build /layers/spring-boot-loader/ /opt/pbft-ledger/app/
COPY --from=build /layers/snapshot-dependencies/ /opt/pbft-ledger/app/
COPY --from=build /layers/application/ /opt/pbft-ledger/app/
COPY --chmod=0755 docker/pbft-ledger.sh /opt/pbft-ledger/bin/pbft-ledger
COPY --chmod=0755 docker/keygen-once.sh /opt/pbft-ledger/bin/keygen-once
COPY --chmod=0755 docker/healthcheck.sh /opt/pbft-ledger/bin/healthcheck

# Heap from the container's memory limit, not the host's; die on OOM so the orchestrator restarts
# the replica instead of leaving a half-working JVM in the cluster.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75.0 -XX:InitialRAMPercentage=25.0 -XX:+ExitOnOutOfMemoryError" \
    PATH="/opt/pbft-ledger/bin:${PATH}" \
    LEDGER_DATA_DIR=/var/lib/pbft-ledger/data

USER ${APP_UID}:${APP_UID}
WORKDIR /var/lib/pbft-ledger
EXPOSE 8080
# readiness, not liveness: "healthy" in docker ps should mean the replica serves requests
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["healthcheck"]
ENTRYPOINT ["pbft-ledger"]
CMD ["--help"]
