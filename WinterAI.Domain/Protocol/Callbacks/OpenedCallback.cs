namespace WinterAI.Domain.Protocol.Callbacks;

/// <summary>What <see cref="CallbackGuard.Open"/> found: the plaintext and the key that opened it, or why it was refused.</summary>
public sealed record OpenedCallback(CallbackVerdict Verdict, string Plaintext = "", byte[]? Key = null)
{
    public static readonly OpenedCallback BadSignature = new(CallbackVerdict.BadSignature);

    public static readonly OpenedCallback OtherReceiver = new(CallbackVerdict.OtherReceiver);
}

/// <summary>Whether a callback opened, and if not, why.</summary>
public enum CallbackVerdict
{
    Opened,

    /// <summary>msg_signature does not cover this ciphertext with our Token.</summary>
    BadSignature,

    /// <summary>Encrypted for another AppID or CorpID.</summary>
    OtherReceiver,
}
