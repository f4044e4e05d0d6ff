# syntax=docker/dockerfile:1
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY WinterAI.Domain/WinterAI.Domain.csproj WinterAI.Domain/
COPY WinterAI.Web/WinterAI.Web.csproj WinterAI.Web/
RUN dotnet restore WinterAI.Web/WinterAI.Web.csproj
COPY WinterAI.Domain/ WinterAI.Domain/
COPY WinterAI.Web/ WinterAI.Web/
RUN dotnet publish WinterAI.Web/WinterAI.Web.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# ffmpeg converts followers' voice messages (AMR) to MP3 for Dify's speech to text (Media:FfmpegPath). Installed
# before the app is copied, so a code change does not download it again.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# The aspnet image ships a non-root "app" user (UID 1654); WinterAI needs no privileges.
USER app
ENV ASPNETCORE_URLS=http://+:8080 \
    DOTNET_gcServer=0
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["dotnet", "WinterAI.Web.dll", "--healthcheck"]
ENTRYPOINT ["dotnet", "WinterAI.Web.dll"]
