namespace WinterAI.Web.Infrastructure;

/// <summary>
/// <c>dotnet WinterAI.Web.dll --healthcheck</c>: asks the running service's /healthz and exits 0 or 1. The
/// container image has no curl, so the compose and Dockerfile healthchecks use this.
/// </summary>
public static class HealthProbe
{
    public const string Flag = "--healthcheck";

    public static async Task<int> RunAsync()
    {
        var port = Environment.GetEnvironmentVariable("WINTERAI_HEALTH_PORT") ?? "8080";
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            using var response = await client.GetAsync($"http://127.0.0.1:{port}/healthz");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
