namespace WinterAI.Web.Infrastructure;

public static class DefaultUrl
{
    /// <summary>
    /// <c>dotnet run</c> with nothing configured serves on a predictable port; ASPNETCORE_URLS, --urls and
    /// ASPNETCORE_HTTP_PORTS (set by the container image) still win.
    /// </summary>
    public static IWebHostBuilder UseDefaultUrlUnlessConfigured(this IWebHostBuilder host, string url)
    {
        if (string.IsNullOrEmpty(host.GetSetting(WebHostDefaults.ServerUrlsKey)) && string.IsNullOrEmpty(host.GetSetting("http_ports")) && string.IsNullOrEmpty(host.GetSetting("https_ports")))
        {
            host.UseUrls(url);
        }

        return host;
    }
}
