# cognito-emulator: a local Amazon Cognito (cognito-idp + cognito-identity) on port 9329.
#   docker build -t cognito-emulator .
#   docker run --rm -p 9329:9329 -v cognito-data:/data cognito-emulator
#   docker run --rm -p 9329:9329 cognito-emulator --port 9329 --seed 42   (extra flags are appended)

# ---- build stage -------------------------------------------------------------------------------
FROM debian:12 AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config ca-certificates \
      libcpp-httplib-dev nlohmann-json3-dev libssl-dev liblmdb-dev libcli11-dev libpcre2-dev doctest-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Sources only (see .dockerignore): CMakeLists.txt, cmake/, emulator/, tools/, api-models/, tests/unit/
COPY . .
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
 && cmake --build build --target cognito-emulator \
 && strip build/cognito-emulator \
 && build/cognito-emulator --version

# ---- runtime stage -----------------------------------------------------------------------------
FROM debian:12-slim
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcpp-httplib0.11 liblmdb0 libssl3 libpcre2-8-0 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data
COPY --from=build /src/build/cognito-emulator /usr/local/bin/cognito-emulator
VOLUME /data
EXPOSE 9329
STOPSIGNAL SIGTERM
ENTRYPOINT ["cognito-emulator","--host","0.0.0.0","--data-dir","/data"]
