using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WinterAI.Domain.Protocol.Platform;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AccessToken))]
[JsonSerializable(typeof(PlatformResult))]
[JsonSerializable(typeof(StableTokenRequest))]
[JsonSerializable(typeof(TextMessageRequest))]
[JsonSerializable(typeof(MediaMessageRequest))]
[JsonSerializable(typeof(TypingRequest))]
internal sealed partial class PlatformJsonContext : JsonSerializerContext
{
    /// <summary>
    /// For request bodies: Chinese text as UTF-8 rather than <c>\uXXXX</c> escapes, as the platform's own samples and
    /// the widely used SDKs send it (some of its endpoints have shown escapes literally). The bodies go to the
    /// platform only, never into HTML, so the HTML-safe escaping of the default encoder buys nothing.
    /// </summary>
    public static PlatformJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
