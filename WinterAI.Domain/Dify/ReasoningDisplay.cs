namespace WinterAI.Domain.Dify;

/// <summary><c>Dify:Reasoning</c>: how a reasoning model's <c>&lt;think&gt;</c> blocks are shown.</summary>
public enum ReasoningDisplay
{
    /// <summary>Removed from every channel, the H5 page included.</summary>
    Hide,

    /// <summary>Removed from WeChat and WeCom; folded (closed, openable) on the H5 chat page.</summary>
    Fold,
}
