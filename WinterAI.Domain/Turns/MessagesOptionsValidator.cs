using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Refuses to start with a text that would fail or mislead every time it is used, naming its key: a keyword rule that
/// cannot match; a text with placeholders (<see cref="MessagesOptions.NextPageFooter"/>, <see cref="MessagesOptions.ChatLink"/>)
/// that is not a valid format string, uses a placeholder nothing fills, or lacks the one it exists for; a page footer
/// that leaves a page no room for the answer.
/// </summary>
public sealed class MessagesOptionsValidator : IValidateOptions<MessagesOptions>
{
    private static readonly Placeholders Footer = new(
        nameof(MessagesOptions.NextPageFooter), ["the next page number", "the page count"], Sample: [2, 3], Required: null);

    private static readonly Placeholders ChatLink = new(
        nameof(MessagesOptions.ChatLink), ["the link", "how long it works"], Sample: ["https://winterai.example/chat?t=token", "1 天"], Required: 0);

    private static readonly Placeholders VoiceHeard = new(
        nameof(MessagesOptions.VoiceHeard), ["what was heard"], Sample: ["今天天气怎么样"], Required: null);

    public ValidateOptionsResult Validate(string? name, MessagesOptions options)
    {
        var problems = KeywordMatcher.Problems(options)
            .Concat(FooterProblems(options.NextPageFooter))
            .Concat(ChatLink.Problems(options.ChatLink))
            .Concat(VoiceHeard.Problems(options.VoiceHeard))
            .ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static IEnumerable<string> FooterProblems(string footer)
    {
        if (Footer.Problems(footer) is { Count: > 0 } problems)
        {
            return problems;
        }

        // The widest page numbers there can be: a footer that fits with them fits under every page.
        var bytes = Encoding.UTF8.GetByteCount(AnswerPaginator.Footer(footer, int.MaxValue, int.MaxValue));
        return bytes <= AnswerPaginator.MaxFooterBytes
            ? []
            : [$"{Footer.Key} takes up to {bytes} bytes (UTF-8, page numbers included), which leaves a page no room for the answer; it may take at most {AnswerPaginator.MaxFooterBytes}."];
    }

    /// <param name="Property">The text's name in <see cref="MessagesOptions"/>.</param>
    /// <param name="Meanings">What fills {0}, {1}, … in use.</param>
    /// <param name="Sample">Arguments of the types the text is formatted with in use.</param>
    /// <param name="Required">The placeholder without which the text makes no sense, if any.</param>
    private sealed record Placeholders(string Property, string[] Meanings, object[] Sample, int? Required)
    {
        private const string Marker = "\u0001placeholder\u0001";

        public string Key => $"{MessagesOptions.Section}:{Property}";

        public IReadOnlyList<string> Problems(string text)
        {
            CompositeFormat parsed;
            try
            {
                parsed = CompositeFormat.Parse(text);
            }
            catch (FormatException)
            {
                return [Malformed()];
            }

            if (parsed.MinimumArgumentCount > Sample.Length)
            {
                return [$"{Key} uses {{{parsed.MinimumArgumentCount - 1}}}, which nothing fills. {Legend()}."];
            }

            try
            {
                // A format the argument does not understand, such as {0:Z} for a number, fails only when formatted.
                _ = Format(text, Sample);
            }
            catch (FormatException)
            {
                return [Malformed()];
            }

            if (Required is { } required && !Format(text, Sample.Select((value, index) => index == required ? Marker : value).ToArray()).Contains(Marker, StringComparison.Ordinal))
            {
                return [$"{Key} has no {{{required}}} ({Meanings[required]}), so it would not say it. {Legend()}."];
            }

            return [];
        }

        private string Malformed() => $"{Key} is not a valid format string. {Legend()}; a literal {{ or }} is written {{{{ or }}}}.";

        private static string Format(string text, object[] arguments) => string.Format(CultureInfo.InvariantCulture, text, arguments);

        private string Legend() => "Placeholders: " + string.Join(", ", Meanings.Select((meaning, index) => $"{{{index}}} {meaning}"));
    }
}
