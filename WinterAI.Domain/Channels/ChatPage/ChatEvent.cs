namespace WinterAI.Domain.Channels.ChatPage;

/// <summary>What the H5 page is told while a question it asked is answered, in order.</summary>
public abstract record ChatEvent
{
    /// <summary>Another of the follower's turns (a WeChat question, another tab) is running; this one waits for it.</summary>
    public sealed record Waiting : ChatEvent;

    /// <summary>The question is in the history and goes to Dify now.</summary>
    public sealed record Started(ChatTurn Turn) : ChatEvent;

    /// <summary>Text to append to the answer.</summary>
    public sealed record Delta(string Text) : ChatEvent;

    /// <summary>Dify replaced the answer so far (<c>message_replace</c>) with <paramref name="Text"/>.</summary>
    public sealed record Replaced(string Text) : ChatEvent;

    /// <summary>The turn is over and saved: answered, failed (a friendly text) or stopped.</summary>
    public sealed record Finished(ChatTurn Turn) : ChatEvent;

    /// <summary>After the turn is over: the questions Dify suggests following its answer (only sent when there are some).</summary>
    public sealed record Suggested(string TurnId, IReadOnlyList<string> Questions) : ChatEvent;

    /// <summary>The question was not taken (quota, busy, store down, empty); nothing was recorded.</summary>
    public sealed record Refused(string Message) : ChatEvent;
}
