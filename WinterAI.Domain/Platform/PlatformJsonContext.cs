using System.Text.Json.Serialization;

namespace WinterAI.Domain.Platform;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AccessToken))]
[JsonSerializable(typeof(PlatformResult))]
[JsonSerializable(typeof(StableTokenRequest))]
[JsonSerializable(typeof(TextMessageRequest))]
[JsonSerializable(typeof(TypingRequest))]
internal sealed partial class PlatformJsonContext : JsonSerializerContext;
