
namespace WinterAI.Domain.Channels.OfficialAccount.Menus;

/// <summary>The configured menu breaks WeChat's limits; <see cref="Problems"/> names each offending button.</summary>
public sealed class MenuValidationException(IReadOnlyList<string> problems)
    : Exception("The menu does not meet WeChat's limits: " + string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
