namespace WinterAI.Domain.Protocol.Platform;

/// <summary>POST /cgi-bin/stable_token.</summary>
public sealed record StableTokenRequest(string GrantType, string Appid, string Secret, bool ForceRefresh);
