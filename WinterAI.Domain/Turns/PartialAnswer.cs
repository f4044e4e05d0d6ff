namespace WinterAI.Domain.Turns;

/// <summary>
/// The answer so far of a turn Dify is still writing, as kept in the shared store: any instance and any channel can
/// read it. <paramref name="Text"/> only ever grows (Dify's Markdown, as streamed); <paramref name="Finished"/> is set
/// once the turn is over, when the turn record holds the whole answer.
/// </summary>
public sealed record PartialAnswer(string Text, bool Finished);
