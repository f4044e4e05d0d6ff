using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WinterAI.Domain.Turns;

/// <summary>Keyword replies: exact keywords first (<c>Messages:Keywords</c>), then the rules in order (<c>Messages:KeywordRules</c>).</summary>
public sealed class KeywordMatcher
{
    /// <summary>A pathological pattern gives up rather than stalling a callback that must answer within 5 s.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly IOptionsMonitor<MessagesOptions> messages;
    private (MessagesOptions Source, IReadOnlyList<(Regex? Regex, KeywordRule Rule)> Rules) compiled;

    public KeywordMatcher(IOptionsMonitor<MessagesOptions> messages)
    {
        this.messages = messages;
        compiled = Compile(messages.CurrentValue);
    }

    public string? Match(string text)
    {
        var current = messages.CurrentValue;
        if (current.Keywords.TryGetValue(text, out var reply))
        {
            return reply;
        }

        var rules = compiled;
        if (!ReferenceEquals(rules.Source, current))
        {
            compiled = rules = Compile(current);
        }

        foreach (var (regex, rule) in rules.Rules)
        {
            try
            {
                if (regex is null ? text == rule.Pattern : regex.IsMatch(text))
                {
                    return rule.Reply;
                }
            }
            catch (RegexMatchTimeoutException)
            {
            }
        }

        return null;
    }

    private static (MessagesOptions, IReadOnlyList<(Regex?, KeywordRule)>) Compile(MessagesOptions options) =>
        (options, options.KeywordRules.Select(rule => (rule.Regex ? new Regex(rule.Pattern, RegexOptions.CultureInvariant, MatchTimeout) : null, rule)).ToList());

    /// <summary>Start-up check: every regex rule compiles; the problem names the rule's key.</summary>
    public static IEnumerable<string> Problems(MessagesOptions options)
    {
        for (var i = 0; i < options.KeywordRules.Count; i++)
        {
            var rule = options.KeywordRules[i];
            string? problem = null;
            if (string.IsNullOrEmpty(rule.Pattern))
            {
                problem = $"Messages:KeywordRules:{i}:Pattern is empty.";
            }
            else if (rule.Regex)
            {
                try
                {
                    _ = new Regex(rule.Pattern, RegexOptions.CultureInvariant, MatchTimeout);
                }
                catch (ArgumentException ex)
                {
                    problem = $"Messages:KeywordRules:{i}:Pattern is not a valid regular expression: {ex.Message}";
                }
            }

            if (problem is not null)
            {
                yield return problem;
            }
        }
    }
}
