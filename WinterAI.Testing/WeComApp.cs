namespace WinterAI.Testing;

/// <summary>The WeCom self-built app the tests play WeCom for; keys from PROTOCOL.md's newer WeCom Python vector.</summary>
public sealed record WeComApp(string Token, string CorpId, string AgentId, string EncodingAesKey, string Secret)
{
    public static readonly WeComApp Default = new(
        "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo", "ww1436e0e65a779aee", "1000002", "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt", "wecom-test-secret");

    /// <summary>The store account id WinterAI derives for this app.</summary>
    public string Account => $"wecom-{CorpId}-{AgentId}";

    public Dictionary<string, string?> Configuration(string apiBaseUrl) => new()
    {
        ["WeCom:Token"] = Token,
        ["WeCom:CorpId"] = CorpId,
        ["WeCom:AgentId"] = AgentId,
        ["WeCom:EncodingAESKey"] = EncodingAesKey,
        ["WeCom:Secret"] = Secret,
        ["WeCom:ApiBaseUrl"] = apiBaseUrl,
    };
}
