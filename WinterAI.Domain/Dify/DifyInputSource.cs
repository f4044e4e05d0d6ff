namespace WinterAI.Domain.Dify;

/// <summary>
/// Where a configured input (<c>Dify:Inputs:{variable}</c>) takes its value from: a fact about the follower or the
/// message, or a fixed text (<c>=literal</c>).
/// </summary>
public enum DifyInputSourceKind
{
    /// <summary><c>channel</c>: official-account, wecom, wecom-robot or chat-page.</summary>
    Channel,

    /// <summary><c>account</c>: the account id (the AppID, CorpID:AgentID or robot id).</summary>
    Account,

    /// <summary><c>user</c>: the follower's openid, or WeCom UserID (in a robot group, the member's own).</summary>
    User,

    /// <summary><c>group</c>: the WeCom robot group's chat id; empty in a one-to-one chat.</summary>
    Group,

    /// <summary><c>msgtype</c>: the platform's message type (text, voice, image, mixed, …).</summary>
    MessageType,

    /// <summary><c>menukey</c>: the key of the last menu button the follower pressed.</summary>
    MenuKey,

    /// <summary><c>scene</c>: the scene of the QR code the follower subscribed or scanned with (<c>qrscene_</c> stripped).</summary>
    Scene,

    /// <summary><c>=text</c>: the text after the equals sign.</summary>
    Literal,
}

/// <summary>A parsed <c>Dify:Inputs:{variable}</c> value.</summary>
public sealed record DifyInputSource(DifyInputSourceKind Kind, string? Literal = null)
{
    /// <summary>The source names, as configured.</summary>
    public static readonly IReadOnlyDictionary<string, DifyInputSourceKind> Names = new Dictionary<string, DifyInputSourceKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["channel"] = DifyInputSourceKind.Channel,
        ["account"] = DifyInputSourceKind.Account,
        ["user"] = DifyInputSourceKind.User,
        ["group"] = DifyInputSourceKind.Group,
        ["msgtype"] = DifyInputSourceKind.MessageType,
        ["menukey"] = DifyInputSourceKind.MenuKey,
        ["scene"] = DifyInputSourceKind.Scene,
    };

    /// <summary>Null when <paramref name="configured"/> is neither a source name nor <c>=literal</c>.</summary>
    public static DifyInputSource? Parse(string? configured)
    {
        var text = configured?.Trim() ?? "";
        if (configured is { Length: > 0 } && configured[0] == '=')
        {
            return new DifyInputSource(DifyInputSourceKind.Literal, configured[1..]);
        }

        return Names.TryGetValue(text, out var kind) ? new DifyInputSource(kind) : null;
    }
}
