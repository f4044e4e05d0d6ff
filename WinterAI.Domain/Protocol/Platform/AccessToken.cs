namespace WinterAI.Domain.Protocol.Platform;

/// <summary>A platform access_token, when it stops working, and when to start replacing it.</summary>
/// <param name="RefreshAtUnixMs">
/// Normally <see cref="AccessTokenCache.RefreshAhead"/> before expiry; for a token that lives shorter than twice that,
/// half-way through its life, so a short-lived token is not fetched again on every call.
/// </param>
public sealed record AccessToken(string Value, long ExpiresAtUnixMs, long RefreshAtUnixMs);
