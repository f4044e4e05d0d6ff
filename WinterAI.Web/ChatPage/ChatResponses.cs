using System.Text.Json;

namespace WinterAI.Web.ChatPage;

/// <summary>The headers and JSON texts of the chat page's responses, shared by its controller and the exception handler.</summary>
public static class ChatResponses
{
    public const string JsonContentType = "application/json; charset=utf-8";

    // Scripts and styles only from this origin: even if the page's Markdown renderer let markup through, an injected
    // script or inline handler would not run. No referrer, so links in answers never carry the token away.
    private const string PagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>No sniffing, no referrer, no caching; for the page itself also the content security policy and no framing.</summary>
    public static void Secure(HttpResponse response, bool page)
    {
        var headers = response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        if (page)
        {
            headers.ContentSecurityPolicy = PagePolicy;
            headers.XFrameOptions = "DENY";
        }
    }

    public static string Json(ChatMessage message) => JsonSerializer.Serialize(message, ChatJsonContext.Default.ChatMessage);
}
