namespace WinterAI.Domain.Dify;

/// <summary>
/// Which file URLs WinterAI fetches from Dify: only those on the configured Dify host (the scheme, host and port of
/// <c>Dify:BaseUrl</c>). Dify serves files outside <c>/v1</c> (<c>/files/tools/…</c>) and writes them relative to its
/// host unless its <c>FILES_URL</c> is set, so a relative URL is resolved against the base URL's origin. Anything
/// else — another host, another port, another scheme — is not fetched, so an answer cannot make WinterAI call an
/// internal address (SSRF); it stays a link the follower may open.
/// </summary>
public static class DifyFileUrls
{
    /// <summary>The absolute URL of <paramref name="url"/> when it is on Dify's host, else null.</summary>
    public static Uri? OnDifyHost(string baseUrl, string url)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var difyBase) || string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        url = url.Trim();
        Uri? resolved;
        if (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal))
        {
            resolved = Uri.TryCreate(new Uri(difyBase.GetLeftPart(UriPartial.Authority)), url, out var relative) ? relative : null;
        }
        else
        {
            resolved = Uri.TryCreate(url, UriKind.Absolute, out var absolute) ? absolute : null;
        }

        return resolved is not null
            && resolved.Scheme is "http" or "https"
            && string.IsNullOrEmpty(resolved.UserInfo)
            && resolved.Scheme == difyBase.Scheme
            && string.Equals(resolved.IdnHost, difyBase.IdnHost, StringComparison.OrdinalIgnoreCase)
            && resolved.Port == difyBase.Port
                ? resolved
                : null;
    }
}
