namespace WinterAI.Domain.Protocol.Callbacks;

/// <summary>What an encrypted channel's callbacks are opened with.</summary>
/// <param name="Token">The platform's callback Token (signs every callback).</param>
/// <param name="ReceiveId">Who the sender must have encrypted for: our AppID (official account) or CorpID (WeCom).</param>
/// <param name="EncodingAesKey">The 43-character key.</param>
/// <param name="PreviousEncodingAesKey">The key before the last rotation, still accepted; empty when there is none.</param>
public sealed record CallbackSecrets(string Token, string ReceiveId, string EncodingAesKey, string PreviousEncodingAesKey = "");
