namespace WinterAI.Domain.Turns;

/// <summary>What a follower's message asks WinterAI to do.</summary>
public abstract record Intent
{
    /// <summary>A question for Dify, with the pictures that came with it and the app's inputs (resolved before it is queued).</summary>
    /// <param name="PicturesOnly">A picture sent alone: <paramref name="Question"/> is the configured prompt, and a question that follows soon is asked about it too.</param>
    /// <param name="Spoken">Asked by voice (WeChat's recognition): with <c>Dify:VoiceReplies</c> the answer may be spoken back.</param>
    public sealed record Ask(string Question, IReadOnlyList<Attachment>? Attachments = null, IReadOnlyDictionary<string, string>? Inputs = null, bool PicturesOnly = false, bool Spoken = false) : Intent;

    /// <summary><c>/set name value</c>: sets one of the Dify app's inputs for the follower; <c>/set</c> alone lists them.</summary>
    public sealed record SetInput(string? Name, string? Value) : Intent;

    /// <summary><c>/unset name</c>: clears a value the follower set.</summary>
    public sealed record UnsetInput(string? Name) : Intent;

    /// <summary><c>1</c>: the latest answer, or its next page.</summary>
    public sealed record Fetch : Intent;

    /// <summary><c>/clear</c>: forget the conversation.</summary>
    public sealed record Clear : Intent;

    /// <summary><c>web</c> (menu key or text): a signed link to the H5 chat page.</summary>
    public sealed record OpenChat : Intent;

    /// <summary>A fixed text (help, menu replies, keywords, unsupported types).</summary>
    public sealed record Say(string Text) : Intent;

    /// <summary>Nothing to say (unsubscribe, view clicks, unknown events).</summary>
    public sealed record Nothing : Intent;
}
