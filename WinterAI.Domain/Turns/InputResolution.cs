using WinterAI.Domain.Dify;

namespace WinterAI.Domain.Turns;

/// <summary>The Dify app's inputs for one question, and the required ones that have no value.</summary>
/// <param name="Values">What to send as <c>inputs</c>; null when there is nothing to send.</param>
/// <param name="Missing">Required inputs with no value: the question must not go to Dify (it would answer 400).</param>
public sealed record InputResolution(IReadOnlyDictionary<string, string>? Values, IReadOnlyList<DifyInputField> Missing)
{
    public static readonly InputResolution None = new(null, []);

    public bool IsComplete => Missing.Count == 0;
}
