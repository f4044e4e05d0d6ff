namespace WinterAI.Domain.Turns;

/// <summary>The kinds of <see cref="Inbound.Other"/>: each unsupported one has its own text; events get none.</summary>
public enum OtherKind
{
    Video,
    Location,
    Link,

    /// <summary>An event that needs no answer (unsubscribe, a view click, a location report, an unknown event).</summary>
    Event,

    /// <summary>A message type nobody models.</summary>
    Unknown,
}
