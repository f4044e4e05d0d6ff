namespace WinterAI.Bench;

/// <summary>
/// One HTTP delivery of one message as WeChat saw it (bench-clock instants, ms). <see cref="Content"/> is the text
/// of the verified, decrypted reply; <see cref="Error"/> says what went wrong when the reply could not be used.
/// </summary>
public sealed record Delivery(
    long MsgId,
    int Attempt,
    int Instance,
    double SentAtMs,
    double? RespondedAtMs,
    int? Status,
    bool TimedOut,
    string? Body,
    string? Content,
    string? Error)
{
    /// <summary>WeChat treats an empty body and "success" alike: nothing shown, no retry.</summary>
    public bool IsSilent => !TimedOut && Error is null && Status == 200 && Content is null;

    /// <summary>One timeline line, instants relative to <paramref name="originMs"/>.</summary>
    public string Describe(double originMs) =>
        $"+{SentAtMs - originMs:F0} ms msg {MsgId} delivery {Attempt} → instance {(char)('A' + Instance)}: " +
        (TimedOut ? "abandoned after 5 s"
            : Error is not null ? $"error ({Error})"
            : IsSilent ? $"HTTP {Status} '{Body}' after {RespondedAtMs - SentAtMs:F0} ms"
            : $"HTTP {Status} after {RespondedAtMs - SentAtMs:F0} ms: {Shorten(Content!)}");

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings("⏎");
        return line.Length <= 80 ? line : line[..80] + "…";
    }
}
