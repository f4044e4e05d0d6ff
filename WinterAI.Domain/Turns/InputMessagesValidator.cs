using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Refuses to start with an input text (<c>Messages:Input*</c>) that is not a valid format string or uses a
/// placeholder nothing fills, naming its key: such a text would fail every time a follower used <c>/set</c>.
/// </summary>
public sealed class InputMessagesValidator : IValidateOptions<MessagesOptions>
{
    public ValidateOptionsResult Validate(string? name, MessagesOptions options)
    {
        var texts = new (string Key, string Text, int Arguments)[]
        {
            (nameof(MessagesOptions.InputsMissing), options.InputsMissing, 1),
            (nameof(MessagesOptions.InputsList), options.InputsList, 1),
            (nameof(MessagesOptions.InputSet), options.InputSet, 2),
            (nameof(MessagesOptions.InputUnset), options.InputUnset, 1),
            (nameof(MessagesOptions.InputUnknown), options.InputUnknown, 2),
            (nameof(MessagesOptions.InputFixed), options.InputFixed, 1),
            (nameof(MessagesOptions.InputNotOption), options.InputNotOption, 2),
            (nameof(MessagesOptions.InputTooLong), options.InputTooLong, 2),
            (nameof(MessagesOptions.InputNotNumber), options.InputNotNumber, 1),
        };
        var problems = texts.Where(t => !Fits(t.Text, t.Arguments))
            .Select(t => $"{MessagesOptions.Section}:{t.Key} is not a valid format string with at most {t.Arguments} placeholder(s) ({{0}}{(t.Arguments > 1 ? ", {1}" : "")}); a literal {{ or }} is written {{{{ or }}}}.")
            .ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static bool Fits(string text, int arguments)
    {
        try
        {
            return CompositeFormat.Parse(text).MinimumArgumentCount <= arguments
                && string.Format(CultureInfo.InvariantCulture, text, Enumerable.Repeat<object?>("x", arguments).ToArray()) is not null;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
