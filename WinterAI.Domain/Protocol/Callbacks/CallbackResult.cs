
namespace WinterAI.Domain.Protocol.Callbacks;

/// <summary>What a platform callback answers, independent of the web framework.</summary>
public sealed record CallbackResult(int StatusCode, string Body, string ContentType = CallbackResult.PlainText)
{
    public const string PlainText = "text/plain; charset=utf-8";
    public const string Xml = "application/xml; charset=utf-8";

    /// <summary>"success": WeChat shows nothing and does not retry.</summary>
    public static readonly CallbackResult Success = new(200, "success");

    /// <summary>An empty 200 (WeCom's "received", and the end of a held delivery).</summary>
    public static readonly CallbackResult Empty = new(200, "");

    /// <summary>
    /// A body that could not be parsed, decoded or decrypted. The reason goes to the log only: parser messages echo
    /// the input back and tell a prober how far it got.
    /// </summary>
    public static readonly CallbackResult Malformed = new(400, "Malformed callback body.");

    public static CallbackResult Text(string body) => new(200, body);

    public static CallbackResult XmlBody(string body) => new(200, body, Xml);

    public static CallbackResult NotFound() => new(404, "This channel is not configured.");

    public static CallbackResult Unauthorized(string reason) => new(401, reason);
}
