using WinterAI.Domain.Protocol.Crypto;

namespace WinterAI.Domain.Protocol.Callbacks;

/// <summary>
/// The one guard every encrypted channel's callback passes (official account in safe/compatible mode, WeCom app):
/// a fresh timestamp and a sane nonce; then msg_signature over the ciphertext, decryption with the current key and,
/// during a rotation, the previous one, and the ReceiveId (AppID or CorpID) the sender encrypted for.
/// </summary>
public static class CallbackGuard
{
    /// <summary>What is checked of every callback's query before anything else.</summary>
    public static bool IsFresh(CallbackQuery query, DateTimeOffset now, TimeSpan maxClockSkew) =>
        CallbackClock.IsFresh(query.Timestamp, now, maxClockSkew) && CallbackClock.IsNonce(query.Nonce);

    /// <summary>
    /// Opens <paramref name="encrypt"/> (a message's Encrypt, or a URL verification's echostr) for a query that passed
    /// <see cref="IsFresh"/>. Throws <see cref="WeChatProtocolException"/> when the ciphertext is malformed.
    /// </summary>
    public static OpenedCallback Open(CallbackSecrets secrets, CallbackQuery query, string encrypt)
    {
        if (!WeChatSignature.Verify(query.MsgSignature, secrets.Token, query.Timestamp!, query.Nonce!, encrypt))
        {
            return OpenedCallback.BadSignature;
        }

        var current = MessageCrypto.DecodeAesKey(secrets.EncodingAesKey);
        if (string.IsNullOrEmpty(secrets.PreviousEncodingAesKey))
        {
            return OpenWith(current, encrypt, secrets.ReceiveId);
        }

        OpenedCallback? underCurrent = null;
        try
        {
            underCurrent = OpenWith(current, encrypt, secrets.ReceiveId);
            if (underCurrent.Verdict == CallbackVerdict.Opened)
            {
                return underCurrent;
            }
        }
        catch (WeChatProtocolException)
        {
            // Not under the current key: it may be under the previous one.
        }

        // During a key rotation a message the current key cannot open may be under the previous one; its reply goes out under that key.
        try
        {
            return OpenWith(MessageCrypto.DecodeAesKey(secrets.PreviousEncodingAesKey), encrypt, secrets.ReceiveId);
        }
        catch (WeChatProtocolException) when (underCurrent is not null)
        {
            // The current key opened it, for someone else: that is the verdict, not the garbage the previous key makes of it.
            return underCurrent;
        }
    }

    private static OpenedCallback OpenWith(byte[] key, string encrypt, string receiveId)
    {
        var decrypted = MessageCrypto.Decrypt(key, encrypt);
        return string.Equals(decrypted.ReceiveId, receiveId, StringComparison.Ordinal)
            ? new OpenedCallback(CallbackVerdict.Opened, decrypted.Message, key)
            : OpenedCallback.OtherReceiver;
    }
}
