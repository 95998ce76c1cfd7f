# keaphook in a container: a static binary on an empty base, run as an unprivileged user, with
# the mock Keap as the default command.
#
#   docker build -t keaphook --build-arg VERSION=$(git describe --tags --always) .
#   docker run --rm -p 8080:8080 keaphook                        # the mock, reached at http://localhost:8080
#   docker run --rm -p 8080:8080 -v keaphook-data:/data keaphook mock --data /data   # state kept in a volume
#   docker run --rm keaphook check http://host.docker.internal:3000/keap             # any other command
#
# The mock listens on 0.0.0.0:8080 (KEAPHOOK_MOCK_ADDR). Its banner and the apiUrl fields of
# its deliveries use the address its first client reached it by; set KEAPHOOK_MOCK_PUBLIC_URL
# (e.g. http://keaphook:8080 for a CI service) to fix it in advance.

# Stage "build": the binary, built the way scripts/build builds every shipped keaphook.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN scripts/build /out/keaphook "$VERSION" && mkdir /out/data

# Stage "runtime": everything about the image except its files, shared by the two stages below.
FROM scratch AS runtime
LABEL org.opencontainers.image.title="keaphook" \
      org.opencontainers.image.description="A mock Keap (Infusionsoft) REST Hooks API, a relay and contract checks" \
      org.opencontainers.image.source="https://github.com/keaphook/keaphook"
ENV KEAPHOOK_MOCK_ADDR=0.0.0.0:8080
EXPOSE 8080
USER 65532:65532
ENTRYPOINT ["/keaphook"]
CMD ["mock"]
# `keaphook health` asks the mock at KEAPHOOK_MOCK_ADDR for GET /_mock/health.
HEALTHCHECK --interval=10s --timeout=3s --start-period=2s --retries=3 CMD ["/keaphook", "health"]

# Stage "prebuilt": the same image around a keaphook built outside, taken from the build
# context as ./keaphook next to an empty ./data directory (scripts/build keaphook; mkdir data).
# For builders that cannot pull golang: docker build --target prebuilt -f Dockerfile DIR
FROM runtime AS prebuilt
COPY keaphook /keaphook
COPY --chown=65532:65532 data/ /data/
VOLUME /data

# The default stage: the image built from source.
FROM runtime
COPY --from=build /out/keaphook /keaphook
COPY --from=build --chown=65532:65532 /out/data/ /data/
VOLUME /data
