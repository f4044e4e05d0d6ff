using Microsoft.Extensions.Options;

namespace WinterAI.Domain.Turns;

/// <summary>Refuses to start with a keyword rule that cannot match, naming the rule's key.</summary>
public sealed class MessagesOptionsValidator : IValidateOptions<MessagesOptions>
{
    public ValidateOptionsResult Validate(string? name, MessagesOptions options)
    {
        var problems = KeywordMatcher.Problems(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
