using Microsoft.Extensions.Logging;

namespace WinterAI.Domain.Protocol.Callbacks;

/// <summary>
/// What every encrypted callback endpoint (WeCom app, WeCom robot) does alike before its own work: the shape of
/// msg_signature, the URL verification's echostr, and turning a verdict of <see cref="CallbackGuard.Open"/> into the
/// refusal a caller sees. <c>callback</c> names the endpoint in log lines ("WeCom callback", "robot callback").
/// </summary>
public static class EncryptedCallbacks
{
    /// <summary>msg_signature is 40 hex digits; anything else is refused before the body is read.</summary>
    public static bool HasSignatureShape(string? msgSignature) =>
        msgSignature is { Length: 40 } && msgSignature.All(char.IsAsciiHexDigit);

    /// <summary>GET: the decrypted echostr when msg_signature holds; 401 or 400 otherwise.</summary>
    public static CallbackResult Verify(CallbackSecrets secrets, CallbackQuery query, ILogger log, string callback)
    {
        // A query string decodes '+' to a space; base64 has no spaces, so a space is a '+' that was not percent-encoded.
        var echoStr = query.EchoStr?.Replace(' ', '+');
        try
        {
            var opened = echoStr is null ? OpenedCallback.BadSignature : CallbackGuard.Open(secrets, query, echoStr);
            return Refusal(opened, log, callback) ?? CallbackResult.Text(opened.Plaintext);
        }
        catch (WeChatProtocolException ex)
        {
            log.LogWarning("Refused a malformed {Callback} URL verification: {Reason}", callback, ex.Message);
            return CallbackResult.Malformed;
        }
    }

    /// <summary>The 401 for a callback that failed its signature or was encrypted for someone else; null when it opened.</summary>
    public static CallbackResult? Refusal(OpenedCallback opened, ILogger log, string callback)
    {
        switch (opened.Verdict)
        {
            case CallbackVerdict.BadSignature:
                log.LogWarning("Refused a {Callback}: msg_signature does not match.", callback);
                return CallbackResult.Unauthorized("msg_signature does not match.");
            case CallbackVerdict.OtherReceiver:
                log.LogWarning("Refused a {Callback} encrypted for someone else.", callback);
                return CallbackResult.Unauthorized("The message is not for this receiver.");
            default:
                return null;
        }
    }
}
