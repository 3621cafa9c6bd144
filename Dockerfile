# syntax=docker/dockerfile:1
# ActorRecorder node image: the `actorrecorder` CLI (src/ActorRecorder.Cli) with ffmpeg and ffprobe.
#   docker build -t actorrecorder .
#   docker run ... actorrecorder                                   runs a node from /etc/actorrecorder/cluster.conf
#   docker run ... actorrecorder run --config /path/to/node.conf   runs a node from another file
#   docker run --rm actorrecorder config show --config FILE       checks a configuration
# docker-compose.yml runs a three-node cluster of it.
#
# The .NET 10 images are Ubuntu 24.04 ("noble"): Microsoft publishes no Debian images for .NET 10.

# ---- build: restore and publish the CLI only (the tests are not part of the image) --------------------------------
# Built on the builder's own platform and published for the target's architecture (docker buildx --platform ...).
# The SDK must satisfy global.json (10.0.401 or a later 10.0 feature band).
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
WORKDIR /source

# What restore reads, so the package layer is reused until a project file or a package version changes.
# Directory.Build.props applies BannedSymbols.txt and warnings-as-errors to every project; .editorconfig holds the
# code-style rules the build enforces.
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY src/ActorRecorder.Cli/ActorRecorder.Cli.csproj             src/ActorRecorder.Cli/
COPY src/ActorRecorder.Host/ActorRecorder.Host.csproj           src/ActorRecorder.Host/
COPY src/ActorRecorder.Engine/ActorRecorder.Engine.csproj       src/ActorRecorder.Engine/
COPY src/ActorRecorder.Hocon/ActorRecorder.Hocon.csproj         src/ActorRecorder.Hocon/
COPY src/ActorRecorder.Media/ActorRecorder.Media.csproj         src/ActorRecorder.Media/
COPY src/ActorRecorder.Platforms/ActorRecorder.Platforms.csproj src/ActorRecorder.Platforms/
COPY src/ActorRecorder.Telegram/ActorRecorder.Telegram.csproj   src/ActorRecorder.Telegram/
# The project, not ActorRecorder.sln: the solution also lists the test projects, which are not copied.
RUN dotnet restore src/ActorRecorder.Cli/ActorRecorder.Cli.csproj -a $TARGETARCH

# The sources, and hocon/: reference.conf and quickstart.conf are compiled into the assemblies as embedded resources
# (ActorRecorder.Engine and ActorRecorder.Cli), so the published app needs no .conf file beside it.
COPY src/ src/
COPY hocon/ hocon/
# Framework-dependent, for the target architecture only (the native SQLite and LMDB libraries of that one platform);
# no apphost: the node is started as `dotnet actorrecorder.dll`, and starts its watchdog the same way.
RUN dotnet publish src/ActorRecorder.Cli/ActorRecorder.Cli.csproj -c Release -a $TARGETARCH --no-self-contained \
        --no-restore -p:UseAppHost=false -o /app

# ---- runtime ---------------------------------------------------------------------------------------------------------
# ASP.NET Core runtime: the node serves its management API (health, metrics, the CLI's endpoints) on Kestrel.
FROM mcr.microsoft.com/dotnet/aspnet:10.0

# ffmpeg records and cuts; ffprobe (in the same package) checks whether a channel is live and reads segments; tzdata
# gives recording windows (recording.timezone) their IANA zones; rclone is the rclone upload target. Current yt-dlp and streamlink go into a private virtual
# environment (Debian's are years behind the platforms; a docker build reaches PyPI), owned by the node's user so that
# `actorrecorder tools update` updates them in place while the node runs.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg tzdata rclone python3 python3-venv \
    && rm -rf /var/lib/apt/lists/* \
    && python3 -m venv /opt/actorrecorder-tools \
    && /opt/actorrecorder-tools/bin/pip install --no-cache-dir --disable-pip-version-check yt-dlp streamlink \
    && chown -R "$APP_UID:$APP_UID" /opt/actorrecorder-tools
ENV ACTORRECORDER_YT_DLP=/opt/actorrecorder-tools/bin/yt-dlp \
    ACTORRECORDER_STREAMLINK=/opt/actorrecorder-tools/bin/streamlink

# The recordings (shared by every node of a cluster) and the node's own state: mount volumes here. Owned by the
# image's non-root user `app` (APP_UID, 1654, defined by the .NET images), whose ownership a new named volume takes.
RUN mkdir -p /recordings /data /etc/actorrecorder \
    && chown "$APP_UID:$APP_UID" /recordings /data

WORKDIR /app
COPY --from=build /app ./
# The cluster configuration (docker-compose.yml mounts the repository's hocon/ over this folder, so an edit of the
# channel list reaches the running nodes).
COPY hocon/cluster.conf /etc/actorrecorder/cluster.conf

USER $APP_UID

# Akka.Cluster (remoting over TCP), as set in cluster.conf.
EXPOSE 4053

# SIGTERM (docker stop) is a graceful stop: recordings finish their files and the node hands its channels to the
# others, within 10 s; give the container more than that (docker stop -t 15, compose stop_grace_period: 15s).
# No HEALTHCHECK here: the node serves no HTTP, and its one port depends on the configuration
# (docker-compose.yml checks that the cluster port accepts connections).
ENTRYPOINT ["dotnet", "/app/actorrecorder.dll"]
CMD ["run", "--config", "/etc/actorrecorder/cluster.conf"]
