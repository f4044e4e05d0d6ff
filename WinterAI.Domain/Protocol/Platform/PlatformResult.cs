using System.Text.Json.Serialization;

namespace WinterAI.Domain.Protocol.Platform;

/// <summary>Every WeChat/WeCom API answer: errcode/errmsg, plus the token fields for token calls and media_id for uploads.</summary>
public sealed record PlatformResult(
    [property: JsonPropertyName("errcode")] int ErrCode = 0,
    [property: JsonPropertyName("errmsg")] string? ErrMsg = null,
    [property: JsonPropertyName("access_token")] string? AccessToken = null,
    [property: JsonPropertyName("expires_in")] int ExpiresIn = 0,
    [property: JsonPropertyName("media_id")] string? MediaId = null);
