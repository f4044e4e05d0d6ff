namespace WinterAI.Domain.Dify;

/// <summary>What <c>GET /info</c> says about the app.</summary>
/// <param name="Mode">Dify's mode as sent (<c>chat</c>, <c>agent-chat</c>, <c>advanced-chat</c>, <c>workflow</c>, <c>completion</c>).</param>
public sealed record DifyAppInfo(string? Name, string? Mode)
{
    public DifyAppType? AppType => DifyAppTypes.FromMode(Mode);
}
