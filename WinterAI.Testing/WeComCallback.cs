using System.Net;

namespace WinterAI.Testing;

/// <summary>What the callback answered WeCom.</summary>
public sealed record WeComCallback(HttpStatusCode Status, string Body)
{
    /// <summary>WeCom's "received": 200 with an empty body.</summary>
    public bool IsReceived => Status == HttpStatusCode.OK && Body.Length == 0;
}
