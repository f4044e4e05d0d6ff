namespace WinterAI.Domain.Platform;

/// <summary>A platform access_token and when it stops working.</summary>
public sealed record AccessToken(string Value, long ExpiresAtUnixMs);
